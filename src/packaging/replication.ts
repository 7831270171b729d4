/**
 * What of the app reaches a search peer in the search head's knowledge bundle. By default a peer's bundle
 * copy ($SPLUNK_HOME/var/run/searchpeers/<sh>-<epoch>/apps/<app>/) holds the app's bin/, default/, lookups/
 * and metadata/; default/distsearch.conf adds windows_x86_64/bin/ (distsearch.conf.spec,
 * [replicationAllowlist]). Sources and measurements: docs/runtime.md.
 */
import { Staged } from './layout';

export const REPLICATED_DIRS = ['bin/', 'default/', 'lookups/', 'metadata/', 'windows_x86_64/bin/'] as const;

export function isReplicated(rel: string): boolean {
  return REPLICATED_DIRS.some((d) => rel.startsWith(d));
}

/** Bytes of the app that the knowledge bundle carries (the bundle is a tar: uncompressed sizes). */
export function replicatedBytes(staged: Staged): number {
  let n = 0;
  for (const f of staged.files) if (isReplicated(f.rel)) n += f.data.length;
  return n;
}
