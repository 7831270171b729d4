/**
 * Shared set-up of the deploy/verify suites: throwaway certificates, a placeholder package, fake
 * splunkd servers closed after each test, and an Io that records stdout/stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { APP_VERSION } from '../../src/deploy/constants';
import type { Io } from '../../src/deploy/session';
import { TestCert, makeCertDir, makeSelfSigned } from './certs';
import { FakeOptions, FakeSplunkd, startFakeSplunkd } from './fake-splunkd';

export const PASSWORD = 'correct horse battery staple';
export const TOKEN = 'eyJfake.token.value';

export interface Harness {
  dir: () => string;
  good: () => TestCert;
  other: () => TestCert;
  pkg: () => string;
  fake: (o?: Partial<FakeOptions>) => Promise<FakeSplunkd>;
  /** --fingerprint of the fake's certificate. */
  pin: () => string[];
}

export type RecordingIo = Io & { stdout: () => string; stderr: () => string };

/** Registers the jest hooks; call once at the top of a suite. */
export function useHarness(): Harness {
  let dir = '';
  let cleanup = () => undefined as void;
  let good: TestCert;
  let other: TestCert;
  let pkg = '';
  const servers: FakeSplunkd[] = [];
  beforeAll(() => {
    ({ dir, cleanup } = makeCertDir());
    good = makeSelfSigned(dir, 'splunkd');
    other = makeSelfSigned(dir, 'attacker');
    mkdirSync(join(dir, 'dist'));
    pkg = join(dir, 'dist', `t1612_build_image_on_host-${APP_VERSION}.tgz`);
    writeFileSync(pkg, gzipSync(Buffer.from('t1612_build_image_on_host/default/app.conf placeholder')));
  });
  afterAll(() => cleanup());
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    dir: () => dir,
    good: () => good,
    other: () => other,
    pkg: () => pkg,
    fake: async (o = {}) => {
      const s = await startFakeSplunkd({ cert: good.cert, key: good.key, password: PASSWORD, token: TOKEN, ...o });
      servers.push(s);
      return s;
    },
    pin: () => ['--fingerprint', good.fingerprint],
  };
}

export function recordingIo(env: NodeJS.ProcessEnv = { T1612_PW: PASSWORD, T1612_TOKEN: TOKEN }): RecordingIo {
  let out = '';
  let err = '';
  return {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    env,
    prompt: () => Promise.reject(new Error('no prompt in tests')),
    stdout: () => out,
    stderr: () => err,
  };
}

export const AUTH = ['--user', 'admin', '--password-env', 'T1612_PW'];
