/** Secrets come from an environment variable or an interactive no-echo prompt; never argv, never logged. */
import { isEnvVarName, showableEnvVarName } from './redact';
import type { Credentials } from './sdk';

export interface AuthOptions {
  tokenEnv?: string;
  user?: string;
  passwordEnv?: string;
}

export interface PromptIO {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

/** Reads one line from a TTY without echoing it. */
export function promptHidden(
  question: string,
  io: PromptIO = { input: process.stdin, output: process.stderr },
): Promise<string> {
  const { input, output } = io;
  if (!input.isTTY || typeof input.setRawMode !== 'function') {
    return Promise.reject(
      new Error('no terminal to prompt on: set the secret in an environment variable (--password-env / --token-env)'),
    );
  }
  return new Promise((resolve, reject) => {
    output.write(question);
    let value = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          cleanup();
          output.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          cleanup();
          output.write('\n');
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    function cleanup() {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
    }
    input.on('data', onData);
  });
}

/** The value of the variable named by `--<option>`; never echoes a name that may be a pasted secret. */
function fromEnv(option: string, name: string, env: NodeJS.ProcessEnv): string {
  if (!isEnvVarName(name)) {
    throw new Error(
      `${option}: looks like a value, not a variable name. Put the secret in an environment variable and pass its name (e.g. ${option} SPLUNK_SECRET)`,
    );
  }
  const v = env[name];
  if (!v) {
    const which = showableEnvVarName(name) ? `environment variable ${name}` : 'the environment variable';
    throw new Error(`${which} (from ${option}) is not set or empty`);
  }
  return v;
}

export async function resolveCredentials(
  o: AuthOptions,
  env: NodeJS.ProcessEnv = process.env,
  prompt: (q: string) => Promise<string> = (q) => promptHidden(q),
): Promise<Credentials> {
  if (o.tokenEnv !== undefined && (o.user !== undefined || o.passwordEnv !== undefined)) {
    throw new Error('use either --token-env or --user/--password-env, not both');
  }
  if (o.tokenEnv !== undefined) return { kind: 'token', secret: fromEnv('--token-env', o.tokenEnv, env) };
  if (o.user === undefined) {
    if (o.passwordEnv !== undefined) throw new Error('--password-env needs --user');
    throw new Error('authentication required: --token-env VAR, or --user NAME with --password-env VAR (or a prompt)');
  }
  if (o.passwordEnv !== undefined) {
    return { kind: 'password', username: o.user, secret: fromEnv('--password-env', o.passwordEnv, env) };
  }
  const v = await prompt(`splunkd password for ${o.user}: `);
  if (!v) throw new Error('empty password');
  return { kind: 'password', username: o.user, secret: v };
}
