/** Saved searches (schedules, alert settings) and the SPL of searches, macros and dashboards. */
import * as fs from 'fs';
import * as path from 'path';
import { XMLValidator } from 'fast-xml-parser';
import { stanzaMap } from '../conf';
import { commandsOf, expandMacros, knownCommands, macrosOf, SplError } from '../spl';
import { Check, LintContext, Report } from './context';
import { VIEW_FILE } from './content-checks';

const TRUE = /^(1|true)$/i;

/** Runs per hour of a cron schedule. Numbers, *, a-b, lists and /step only (no names); throws if invalid. */
export function cronRunsPerHour(cron: string): number {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron needs 5 fields, got ${fields.length}`);
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 7],
  ];
  const sets = fields.map((f, i) => {
    const [lo, hi] = ranges[i];
    const hits = new Set<number>();
    for (const part of f.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) throw new Error(`invalid cron field ${JSON.stringify(f)}`);
      const a = m[1] === '*' ? lo : Number(m[2]);
      const b = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : a;
      const step = m[4] !== undefined ? Number(m[4]) : 1;
      if (a < lo || b > hi || a > b || step < 1)
        throw new Error(`cron field ${JSON.stringify(f)} out of range ${lo}-${hi}`);
      for (let v = a; v <= b; v += step) hits.add(v);
    }
    return hits;
  });
  return sets[0].size;
}

interface SavedSearch {
  where: string;
  kv: Map<string, string>;
  scheduled: boolean;
}

function savedSearches(ctx: LintContext): SavedSearch[] {
  return (ctx.confs.get('default/savedsearches.conf')?.stanzas ?? []).map((s) => {
    const kv = stanzaMap(s);
    return { where: `savedsearches.conf [${s.name}]`, kv, scheduled: TRUE.test(kv.get('enableSched') ?? '') };
  });
}

/** A check over every saved search (or only the scheduled ones). */
function perSearch(
  name: string,
  description: string,
  scheduledOnly: boolean,
  test: (s: SavedSearch, r: Report) => void,
): Check {
  return {
    name,
    description,
    run(ctx, r) {
      for (const s of savedSearches(ctx)) if (s.scheduled || !scheduledOnly) test(s, r);
    },
  };
}

export const noEmailsInSavedSearch = perSearch(
  'check_for_emails_in_saved_search',
  'action.email.to has no value',
  false,
  (s, r) => {
    if ((s.kv.get('action.email.to') ?? '') !== '')
      r.fail(`${s.where}: action.email.to = ${s.kv.get('action.email.to')}`);
  },
);

export const scheduledEarliestTime = perSearch(
  'check_for_sched_saved_searches_earliest_time',
  'scheduled searches set dispatch.earliest_time',
  true,
  (s, r) => {
    if (!s.kv.get('dispatch.earliest_time')) r.fail(`${s.where}: scheduled without dispatch.earliest_time`);
  },
);

export const scheduledLatestTime = perSearch(
  'check_for_sched_saved_searches_latest_time',
  'scheduled searches set dispatch.latest_time',
  true,
  (s, r) => {
    if (!s.kv.get('dispatch.latest_time')) r.fail(`${s.where}: scheduled without dispatch.latest_time`);
  },
);

export const cronScheduling = perSearch(
  'check_for_gratuitous_cron_scheduling',
  'cron is valid (fail) and runs at most 12 times per hour (warn)',
  true,
  (s, r) => {
    const cron = s.kv.get('cron_schedule');
    if (!cron) {
      r.fail(`${s.where}: scheduled without cron_schedule`);
      return;
    }
    try {
      const runs = cronRunsPerHour(cron);
      if (runs > 12) r.warn(`${s.where}: cron "${cron}" runs ${runs} times per hour (> 12)`);
    } catch (err) {
      r.fail(`${s.where}: ${(err as Error).message}`);
    }
  },
);

export const noEmptyDescription = perSearch(
  'check_for_empty_saved_search_description',
  'no empty description =',
  false,
  (s, r) => {
    if (s.kv.has('description') && s.kv.get('description') === '') r.fail(`${s.where}: description is empty`);
  },
);

export const shippedDisabled = perSearch(
  'check_saved_searches_are_not_disabled',
  'scheduled searches shipped disabled (AppInspect only warns)',
  true,
  (s, r) => {
    if (!TRUE.test(s.kv.get('disabled') ?? '')) r.warn(`${s.where}: shipped enabled`);
  },
);

export const alertThrottle = perSearch(
  't1612_alert_throttle',
  'project rule: alert.suppress = 1 with digest mode off needs alert.suppress.fields',
  true,
  (s, r) => {
    const digest = s.kv.get('alert.digest_mode');
    if (
      TRUE.test(s.kv.get('alert.suppress') ?? '') &&
      digest !== undefined &&
      /^(0|false)$/i.test(digest) &&
      !s.kv.get('alert.suppress.fields')
    )
      r.fail(`${s.where}: alert.suppress with digest mode off needs alert.suppress.fields`);
  },
);

function decode(xml: string): string {
  return xml
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

interface Spl {
  where: string;
  spl: string;
  postProcess: boolean;
}

/** Queries of the well-formed dashboards, then the saved searches. */
function searchesOf(ctx: LintContext): Spl[] {
  const out: Spl[] = [];
  for (const [rel, e] of ctx.files) {
    if (!VIEW_FILE.test(rel)) continue;
    const xml = e.data.toString('utf8');
    if (XMLValidator.validate(xml) !== true) continue;
    const re = /<search\b([^>]*)>\s*<query>([\s\S]*?)<\/query>/g;
    for (let q = re.exec(xml); q; q = re.exec(xml))
      out.push({ where: `${rel} query`, spl: decode(q[2]), postProcess: /\bbase\s*=/.test(q[1]) });
  }
  for (const s of savedSearches(ctx)) {
    const spl = s.kv.get('search');
    if (spl !== undefined) out.push({ where: s.where, spl, postProcess: false });
  }
  return out;
}

export const splCommands: Check = {
  name: 't1612_spl_commands',
  description:
    "every SPL command in saved searches, macros and dashboards is in Splunk's searchbnf.conf or defined by the app; every macro used is defined",
  run(ctx, r) {
    const macros = macrosOf(ctx.confs.get('default/macros.conf'));
    const searchbnfPath = path.join(ctx.opts.specDir, 'searchbnf.conf');
    const known = fs.existsSync(searchbnfPath) ? knownCommands(fs.readFileSync(searchbnfPath, 'utf8')) : new Set();
    if (!known.size) r.fail(`no Splunk searchbnf.conf at ${searchbnfPath}`);
    const appCommands = (ctx.confs.get('default/commands.conf')?.stanzas ?? []).map((s) => s.name.toLowerCase());
    const allowed = new Set([...known, ...appCommands]);
    const usedMacros = new Set<string>();
    for (const { where, spl, postProcess } of searchesOf(ctx)) {
      try {
        const { text: expanded, used } = expandMacros(spl, macros);
        used.forEach((u) => usedMacros.add(u));
        for (const c of commandsOf(expanded, postProcess))
          if (!allowed.has(c.name))
            r.fail(
              `${where}: command "${c.name}" is not a Splunk command (searchbnf.conf) nor one of this app's (${c.segment.slice(0, 50)})`,
            );
      } catch (err) {
        if (err instanceof SplError) r.fail(`${where}: ${err.message}`);
        else throw err;
      }
    }
    // Macros nobody ships a search for are still checked when they start a pipeline segment.
    for (const [name, def] of macros) {
      if (usedMacros.has(name) || def.args.length) continue;
      try {
        expandMacros(def.definition, macros);
      } catch (err) {
        if (err instanceof SplError) r.fail(`macros.conf [${name}]: ${err.message}`);
        else throw err;
      }
    }
  },
};
