/**
 * Keeps secrets out of everything `t1612 deploy` / `t1612 verify` print. Every line goes through
 * `Redactor.redact` (see `redactingIo`): the secrets this run knows (password, token, session key,
 * the package URL's one-time token) in the forms a server may echo them (plain, URL-encoded,
 * form-encoded, JSON-escaped), plus anything shaped like a credential: `Authorization:` values,
 * `Splunk <key>` / `Bearer <token>`, `password=…`-style pairs and `user:pass@` in URLs.
 * Every regex here is linear: no nested quantifiers, bounded prefixes.
 */

export const REDACTED = '<redacted>';

/** Longest server-supplied text printed in one message; the rest is cut (a body can be huge). */
export const MAX_MESSAGE_CHARS = 2000;

const AUTH_HEADER = /(authorization["']?\s{0,8}[:=]\s{0,8}["']?)(?:(?:Splunk|Bearer|Basic)\s{1,8})?[^\s"',;]+/gi;
const AUTH_SCHEME = /\b(Splunk|Bearer|Basic)\s{1,8}[A-Za-z0-9^_.~+/=-]{16,}/g;
const SECRET_PAIR =
  /((?:password|passwd|passphrase|session_?key|token|secret|api_?key)["']?\s{0,8}[:=]\s{0,8}["']?)[^\s"'&,;}]+/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@]{1,512}@/gi;

function variants(secret: string): string[] {
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  return [secret, encodeURIComponent(secret), form, JSON.stringify(secret).slice(1, -1)];
}

export class Redactor {
  private secrets: string[] = [];

  /** Registers a secret; every later message has it (and its encodings) replaced. */
  add(secret: string | undefined): void {
    if (!secret) return;
    for (const v of variants(secret)) if (v && !this.secrets.includes(v)) this.secrets.push(v);
    this.secrets.sort((a, b) => b.length - a.length); // longer first: a secret may contain another
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    return out
      .replace(AUTH_HEADER, `$1${REDACTED}`)
      .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
      .replace(SECRET_PAIR, `$1${REDACTED}`)
      .replace(URL_USERINFO, `$1${REDACTED}@`);
  }
}

/** Server text for a message: cut to MAX_MESSAGE_CHARS (redaction happens when it is printed). */
export function capServerText(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}… (${text.length} chars)` : text;
}

/** An environment variable name as the shells and Node accept it. */
export function isEnvVarName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(s);
}

/** Conventional (upper-case) names are shown in messages; anything else may be a pasted secret. */
export function showableEnvVarName(s: string): boolean {
  return /^[A-Z_][A-Z0-9_]{0,127}$/.test(s);
}
