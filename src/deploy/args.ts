/** Command-line parsing shared by `t1612 deploy` and `t1612 verify`. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** true: takes a value; false: a flag. */
  value: boolean;
}

/** Options that would carry a secret on argv: always refused. */
const SECRET_FLAGS = ['--password', '--token', '--pass', '--secret', '--session-key', '-p'];

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    if (SECRET_FLAGS.includes(name)) {
      // Do not echo the value.
      throw new UsageError(
        `${name} is not accepted: secrets are read only from environment variables (--password-env / --token-env) or a prompt, never from the command line`,
      );
    }
    // Not echoed: a stray word may be a secret typed in the wrong place.
    if (!name.startsWith('--')) throw new UsageError(`unexpected argument at position ${i + 1} (value not shown)`);
    const key = name.slice(2);
    const s = spec[key];
    if (!s) throw new UsageError(`unknown option ${name}`);
    if (key in out) throw new UsageError(`${name} given twice`);
    if (s.value) {
      const v = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      out[key] = v;
    } else {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out[key] = true;
    }
  }
  return out;
}

export function str(o: Record<string, string | true>, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

export const COMMON_SPEC: Record<string, OptionSpec> = {
  url: { value: true },
  'token-env': { value: true },
  user: { value: true },
  'password-env': { value: true },
  'ca-file': { value: true },
  fingerprint: { value: true },
  insecure: { value: false },
  timeout: { value: true },
  help: { value: false },
};

export const COMMON_HELP = `connection:
  --url https://HOST:8089      splunkd management URL (required)
  --token-env VAR              Splunk authentication token in env VAR (sent as Bearer)
  --user NAME                  user name; password from --password-env VAR or a no-echo prompt
  --password-env VAR           env var holding the password
TLS (the server certificate is verified before any credential is sent):
  (default)                    system/Node trust store
  --ca-file FILE               trust only the CA certificate(s) in FILE (PEM); host name checked
  --fingerprint sha256:AA:BB…  trust exactly the certificate with this SHA-256 fingerprint
  --insecure                   no verification (prints a warning; do not use with real credentials)
  --timeout SECONDS            per-request timeout (default 300)
Secrets are never accepted on the command line and .env files are never read.`;
