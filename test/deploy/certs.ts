/** Throwaway certificates for the tests, made with the openssl CLI (no new dependency). */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  cert: string;
  key: string;
  certFile: string;
  /** sha256:AA:BB:… of the DER certificate. */
  fingerprint: string;
}

export function makeCertDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 't1612-deploy-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A self-signed P-256 certificate for 127.0.0.1 (SAN IP), valid one day. */
export function makeSelfSigned(dir: string, name: string, cn = '127.0.0.1'): TestCert {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'pipe' },
  );
  const cert = readFileSync(certFile, 'utf8');
  const der = new X509Certificate(cert).raw;
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return { cert, key: readFileSync(keyFile, 'utf8'), certFile, fingerprint: `sha256:${hex.match(/../g)!.join(':')}` };
}
