/**
 * Recognition of one simple command (argv, after unwrapping): the catalogue row of its executable,
 * the subcommand path, then the family recogniser (families/*.ts). Produces a Finding (activity and
 * one reason per signal fired) or undefined.
 */
import type { Exec } from './unwrap';
import { exeName } from './paths';
import type { Finding } from './types';
import { Analyser, CompiledTool, KANIKO_EXECUTOR, PLAIN_API_PORTS, TOOL_BY_NAME } from './catalogue';
import { parseUrl } from './http';
import { set } from './families/common';
import { walkOptions } from './option-walker';
import { throughWrappers } from './argv';
import { bake, build, buildctl, compose, kaniko, looksKaniko } from './families/build';
import { run } from './families/run';
import { commitImage, importImage, loadImage } from './families/image';
import { httpClient, powershellClient, rawSocketClient } from './families/api';

type Recogniser = (argv: readonly string[], j: number, tool: string, exec: Exec) => Finding | undefined;

const ANALYSERS: Readonly<Record<Analyser, Recogniser>> = {
  build,
  compose,
  bake,
  buildctl,
  kaniko,
  run,
  import: importImage,
  load: loadImage,
  commit: commitImage,
  http: httpClient,
  'pwsh-http': powershellClient,
  'raw-socket': rawSocketClient,
};

const KANIKO_TOOL = TOOL_BY_NAME.get('kaniko');

/** The catalogue row for an executable basename (kaniko's generic `executor` only with kaniko evidence). */
export function toolFor(name: string, argv: readonly string[]): CompiledTool | undefined {
  const t = TOOL_BY_NAME.get(name);
  if (t !== undefined) return t;
  return name === KANIKO_EXECUTOR && looksKaniko(argv) ? KANIKO_TOOL : undefined;
}

/** Runs the recogniser of the first subcommand path of `t` that argv follows (global options skipped). */
export function recogniseWith(t: CompiledTool, argv: readonly string[], exec: Exec): Finding | undefined {
  const g = walkOptions(argv, 1, t.globals, true);
  const f = recognisePath(t, argv, g.next, exec);
  if (f !== undefined && f.activity !== 'run') {
    for (const o of g.opts) if (o.name === '-H' && o.value !== undefined) remoteDaemon(f, o.value, o.shown);
  }
  return f;
}

/** `-H tcp://10.0.0.5:2375`: the CLI drives another host's plain-text API (not a local Docker Desktop port). */
function remoteDaemon(f: Finding, host: string, shown: string): void {
  const u = parseUrl(host);
  if (u === undefined || !PLAIN_API_PORTS.has(u.port)) return;
  if (u.host === 'localhost' || u.host === '127.0.0.1' || u.host === '[::1]' || u.host === '') return;
  set(f, 'api_tcp_connect', `CLI drives a remote plain-text Docker API: ${shown}`);
  f.cliRemoteDaemon = true;
}

function recognisePath(t: CompiledTool, argv: readonly string[], start: number, exec: Exec): Finding | undefined {
  for (const p of t.paths) {
    if (p.words.length === 0) return ANALYSERS[p.analyser](argv, 1, t.tool, exec);
    let j = start;
    let ok = true;
    for (let k = 0; k < p.words.length; k++) {
      if (k > 0) j = walkOptions(argv, j, t.globals, true).next;
      if (argv[j] !== p.words[k]) {
        ok = false;
        break;
      }
      j++;
    }
    if (!ok) continue;
    const tool = p.words[0] === 'buildx' && !t.tool.endsWith('buildx') ? `${t.tool} buildx` : t.tool;
    return ANALYSERS[p.analyser](argv, j, tool, exec);
  }
  return undefined;
}

/** Recognises one unwrapped command; undefined when it is none of the catalogue's activities. */
export function recognise(exec: Exec): Finding | undefined {
  if (exec.argv.length === 0) return undefined;
  const w = throughWrappers(exec.argv, exec.cwd);
  if (w.argv.length === 0) return undefined;
  const e: Exec = w.argv.length === exec.argv.length ? exec : { ...exec, argv: w.argv, cwd: w.cwd };
  const t = toolFor(exeName(e.argv[0]), e.argv);
  return t === undefined ? undefined : recogniseWith(t, e.argv, e);
}
