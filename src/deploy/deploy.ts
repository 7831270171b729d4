/** `t1612 deploy`: install or upgrade the app on one splunkd over REST (splunk-sdk), optionally enable its alerts. */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMMON_HELP, OptionSpec, UsageError, str } from './args';
import { APP_ID, APP_VERSION, DEFAULT_PACKAGE, SAVED_SEARCHES } from './constants';
import { SdkEntity, SdkService, describeSdkError, newSavedSearch, parseSplunkdUrl, scalarText, sdkStatus } from './sdk';
import { ServedPackage, redactServeUrl, servePackageOnce } from './serve';
import { Check, Io, StepFailed, defaultIo, openSession, parseWith, renderTable, runGuarded, truthy } from './session';

const SPEC: Record<string, OptionSpec> = {
  package: { value: true },
  enable: { value: false },
  'app-only': { value: false },
  'serve-address': { value: true },
  'serve-public-host': { value: true },
  'serve-tls-cert': { value: true },
  'serve-tls-key': { value: true },
  'server-path': { value: true },
};

export const DEPLOY_USAGE = `usage: t1612 deploy --url https://HOST:8089 [auth] [TLS] [--package FILE] [--enable | --app-only]
       [--serve-address HOST:PORT [--serve-public-host NAME] [--serve-tls-cert PEM --serve-tls-key PEM] | --server-path PATH]

Installs or upgrades ${APP_ID} ${APP_VERSION} through POST /services/apps/local (filename=true, update=true).
package source, as splunkd sees it:
  (splunkd on this host: --url host is localhost/127.0.0.1/::1)  the absolute path of --package
  --serve-address HOST:PORT    serve --package once on HOST:PORT behind a one-time random token;
                               splunkd downloads it; serving stops right after (PORT 0: any free port)
  --serve-public-host NAME     host name splunkd uses to reach HOST (required when HOST is 0.0.0.0/::)
  --serve-tls-cert/--serve-tls-key  serve over https with this certificate (PEM files)
  --server-path PATH           the package is already on the splunkd host at PATH
  --package FILE               default ${DEFAULT_PACKAGE}
after install:
  (default)                    report the shipped alerts (exist, schedule, enabled); change nothing
  --enable                     enable and schedule the shipped alerts
  --app-only                   install only; do not read or change saved searches
${COMMON_HELP}
`;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function checkPackageFile(file: string): void {
  if (!existsSync(file)) throw new UsageError(`package not found: ${file} (build it, or pass --package)`);
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(2);
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) throw new UsageError(`${file} is not a gzip (.tgz/.spl) package`);
}

interface SearchState {
  exists: boolean;
  cron: string;
  scheduled: boolean;
  disabled: boolean;
}

export function savedSearchState(e: SdkEntity): SearchState {
  const p = e.properties();
  return {
    exists: true,
    cron: scalarText(p.cron_schedule),
    scheduled: truthy(p.is_scheduled),
    disabled: truthy(p.disabled),
  };
}

async function fetchSavedSearch(svc: SdkService, name: string): Promise<SdkEntity | undefined> {
  try {
    return await newSavedSearch(svc, name, APP_ID).fetch();
  } catch (e) {
    if (sdkStatus(e) === 404) return undefined;
    throw new StepFailed(`reading saved search "${name}" failed: ${describeSdkError(e)}`);
  }
}

export async function runDeploy(argv: string[], io: Io = defaultIo()): Promise<number> {
  return runGuarded(io, DEPLOY_USAGE, async (io, redactor) => {
    const opts = parseWith(argv, SPEC);
    if (opts.help) {
      io.out(DEPLOY_USAGE);
      return 0;
    }
    if (opts.enable && opts['app-only']) throw new UsageError('--enable and --app-only exclude each other');
    const serverPath = str(opts, 'server-path');
    const serveAddress = str(opts, 'serve-address');
    if (serverPath && serveAddress) throw new UsageError('--server-path and --serve-address exclude each other');
    const pkgFile = resolve(str(opts, 'package') ?? DEFAULT_PACKAGE);
    if (!serverPath) checkPackageFile(pkgFile);
    const certFile = str(opts, 'serve-tls-cert');
    const keyFile = str(opts, 'serve-tls-key');
    if ((certFile === undefined) !== (keyFile === undefined))
      throw new UsageError('--serve-tls-cert and --serve-tls-key go together');

    // Decide where splunkd reads the package from before connecting anywhere.
    const urlText = str(opts, 'url');
    if (!urlText) throw new UsageError('--url is required');
    const early = parseSplunkdUrl(urlText);
    if (!serverPath && !serveAddress && !isLoopback(early.host)) {
      throw new UsageError(
        `splunkd at ${early.host} is not on this host, so it cannot read ${pkgFile}: use --serve-address HOST:PORT (reachable from splunkd) or copy the package there and pass --server-path`,
      );
    }

    const session = await openSession(opts, io, redactor);
    const { svc } = session;
    const checks: Check[] = [];

    // Where splunkd reads the package from.
    let served: ServedPackage | undefined;
    let name: string;
    if (serverPath) {
      name = serverPath;
    } else if (serveAddress) {
      served = await servePackageOnce(pkgFile, {
        address: serveAddress,
        publicHost: str(opts, 'serve-public-host'),
        tls:
          certFile && keyFile
            ? { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
            : undefined,
        log: (l) => io.err(`t1612: ${l}\n`),
      });
      redactor.add(served.token);
      name = served.url;
      io.err(`t1612: serving the package once at ${redactServeUrl(served.url)}\n`);
    } else {
      name = pkgFile; // splunkd on this host (checked above)
    }

    // POST /services/apps/local  name=<path|URL> filename=true update=true explicit_appname=<id>;
    // the SDK then GETs /services/apps/local/<id> (Applications.fetchOnEntityCreation).
    let app: SdkEntity;
    try {
      app = await svc.apps().create({ name, filename: true, update: true, explicit_appname: APP_ID });
    } catch (e) {
      throw new StepFailed(`install failed: ${describeSdkError(e)}`);
    } finally {
      if (served) await served.close();
    }
    const props = app.properties();
    const installedVersion = scalarText(props.version);
    checks.push({ name: 'install', ok: app.name === APP_ID, detail: `apps/local answered app "${app.name}"` });
    checks.push({
      name: 'app version',
      ok: installedVersion === APP_VERSION,
      detail: `splunkd reports ${installedVersion || '(none)'}, expected ${APP_VERSION}`,
    });
    checks.push({
      name: 'app enabled',
      ok: !truthy(props.disabled),
      detail: truthy(props.disabled) ? 'app is disabled' : 'enabled',
    });

    if (!opts['app-only']) {
      for (const ssName of SAVED_SEARCHES) {
        let entity = await fetchSavedSearch(svc, ssName);
        if (!entity) {
          checks.push({ name: `alert "${ssName}"`, ok: false, detail: `not found in app ${APP_ID}` });
          continue;
        }
        if (opts.enable) {
          try {
            await entity.enable(); // POST …/saved/searches/<name>/enable
            await entity.update({ is_scheduled: '1' }); // POST …/saved/searches/<name> (SDK adds search=)
            entity = (await fetchSavedSearch(svc, ssName)) ?? entity;
          } catch (e) {
            checks.push({
              name: `alert "${ssName}"`,
              ok: false,
              detail: `enable/schedule failed: ${describeSdkError(e)}`,
            });
            continue;
          }
        }
        const s = savedSearchState(entity);
        const active = s.scheduled && !s.disabled && s.cron !== '';
        checks.push({
          name: `alert "${ssName}"`,
          // Without --enable this is a report: present is enough.
          ok: opts.enable ? active : true,
          detail: `cron_schedule="${s.cron}" is_scheduled=${s.scheduled ? 1 : 0} disabled=${s.disabled ? 1 : 0}${!opts.enable && !active ? ' (not active; use --enable)' : ''}`,
        });
      }
    }
    if (served && served.refused() > 0)
      io.err(`t1612: the package server refused ${served.refused()} request(s) with a wrong or reused token\n`);
    io.out(renderTable(checks));
    io.err('t1612: restarting splunkd, if this install needs it, stays with the admin; run t1612 verify afterwards\n');
    return checks.every((c) => c.ok) ? 0 : 1;
  });
}
