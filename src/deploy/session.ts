/** Shared steps of deploy and verify: options → TLS policy → verified preflight → credentials → SDK login. */
import { COMMON_SPEC, OptionSpec, UsageError, parseArgs, str } from './args';
import { Redactor } from './redact';
import { resolveCredentials } from './secrets';
import {
  SdkService,
  SplunkdTarget,
  connectService,
  createVerifiedHttp,
  describeSdkError,
  parseSplunkdUrl,
  sdkStatus,
} from './sdk';
import { TlsPolicy, TlsRefused, connectVerified, describePolicy, peekFingerprint, policyFromOptions } from './tls';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  prompt?: (q: string) => Promise<string>;
}

export const defaultIo = (): Io => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
});

/** The same Io with every printed string passed through the redactor. */
export function redactingIo(io: Io, redactor: Redactor): Io {
  return {
    ...io,
    out: (s) => io.out(redactor.redact(s)),
    err: (s) => io.err(redactor.redact(s)),
  };
}

export interface Session {
  svc: SdkService;
  target: SplunkdTarget;
  policy: TlsPolicy;
  opts: Record<string, string | true>;
}

export function parseWith(argv: readonly string[], extra: Record<string, OptionSpec>): Record<string, string | true> {
  return parseArgs(argv, { ...COMMON_SPEC, ...extra });
}

export class StepFailed extends Error {}

const INSECURE_BANNER = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!! WARNING: --insecure: the splunkd TLS certificate is NOT verified.          !!',
  '!! Anyone on the network path can read your credentials and alter the app.   !!',
  '!! Use --ca-file or --fingerprint sha256:… instead.                          !!',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '',
].join('\n');

/**
 * Connects and logs in. Throws UsageError (exit 2) or StepFailed (exit 1). The secret and the
 * session key are registered with `redactor` as soon as they are known.
 */
export async function openSession(opts: Record<string, string | true>, io: Io, redactor: Redactor): Promise<Session> {
  const url = str(opts, 'url');
  if (!url) throw new UsageError('--url is required');
  const target = parseSplunkdUrl(url);
  let policy: TlsPolicy;
  try {
    policy = policyFromOptions({
      caFile: str(opts, 'ca-file'),
      fingerprint: str(opts, 'fingerprint'),
      insecure: opts.insecure === true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const timeoutSec = str(opts, 'timeout') !== undefined ? Number(str(opts, 'timeout')) : 300;
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    throw new UsageError('--timeout must be a positive number of seconds');
  if (policy.kind === 'insecure') io.err(INSECURE_BANNER + '\n');

  // 1. TLS preflight: a verified handshake, nothing sent. No credential is read before it passes.
  try {
    const s = await connectVerified(target, policy, Math.min(timeoutSec * 1000, 30000));
    s.destroy();
  } catch (e) {
    if (e instanceof TlsRefused) {
      const seen = e.presentedFingerprint ?? (await peekFingerprint(target));
      throw new StepFailed(
        `refusing ${target.host}:${target.port}: ${e.message}. Trust: ${describePolicy(policy)}. Nothing was sent.` +
          (seen
            ? `\n  the server presented ${seen}; if you have verified that fingerprint out of band, pass --fingerprint ${seen}`
            : ''),
      );
    }
    throw new StepFailed(`cannot reach ${target.host}:${target.port}: ${(e as Error).message}`);
  }
  io.err(`t1612: TLS ok for ${target.host}:${target.port} (${describePolicy(policy)})\n`);

  // 2. Credentials (env var or prompt), then SDK login + server/info over the verified transport.
  let creds;
  try {
    creds = await resolveCredentials(
      { tokenEnv: str(opts, 'token-env'), user: str(opts, 'user'), passwordEnv: str(opts, 'password-env') },
      io.env,
      io.prompt,
    );
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  redactor.add(creds.secret);
  const http = createVerifiedHttp({ policy, timeoutMs: timeoutSec * 1000 });
  let svc: SdkService;
  try {
    svc = await connectService(target, creds, http);
  } catch (e) {
    const st = sdkStatus(e);
    const hint = st === 401 ? ' (check the user/password or token)' : '';
    throw new StepFailed(`login to ${target.host}:${target.port} failed: ${describeSdkError(e)}${hint}`);
  }
  redactor.add(svc.sessionKey);
  io.err(`t1612: logged in; splunkd ${svc.version}${svc.instanceType ? ` (${svc.instanceType})` : ''}\n`);
  return { svc, target, policy, opts };
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export function renderTable(checks: readonly Check[]): string {
  const w1 = Math.max(5, ...checks.map((c) => c.name.length));
  const lines = [`${'check'.padEnd(w1)}  result  detail`, `${'-'.repeat(w1)}  ------  ------`];
  for (const c of checks) lines.push(`${c.name.padEnd(w1)}  ${(c.ok ? 'PASS' : 'FAIL').padEnd(6)}  ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  lines.push('', failed ? `${failed} of ${checks.length} checks FAILED` : `all ${checks.length} checks passed`);
  return lines.join('\n') + '\n';
}

/**
 * Runs a subcommand body with uniform error → exit-code mapping (2 usage, 1 failure). The body gets
 * an Io that redacts every message and the Redactor to register secrets with.
 */
export async function runGuarded(
  rawIo: Io,
  usage: string,
  body: (io: Io, redactor: Redactor) => Promise<number>,
): Promise<number> {
  const redactor = new Redactor();
  const io = redactingIo(rawIo, redactor);
  try {
    return await body(io, redactor);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`t1612: ${e.message}\n\n${usage}`);
      return 2;
    }
    if (e instanceof StepFailed) {
      io.err(`t1612: ${e.message}\n`);
      return 1;
    }
    io.err(`t1612: ${describeSdkError(e)}\n`);
    return 1;
  }
}

export function truthy(v: unknown): boolean {
  return (
    v === true ||
    v === 1 ||
    v === '1' ||
    (typeof v === 'string' && ['true', 'yes', 't', 'on'].includes(v.toLowerCase()))
  );
}
