/** What `t1612 deploy` / `t1612 verify` install and look for on splunkd. */
import pkg from '../../package.json';

/** `[package] id` of the app (folder name inside the package). */
export const APP_ID = 't1612_build_image_on_host';
/** The version the tool expects on splunkd: package.json's, baked in at build time. */
export const APP_VERSION: string = pkg.version;
/** Stanza names of the shipped alerts in default/savedsearches.conf. */
export const SAVED_SEARCHES: readonly string[] = [
  'T1612 - Build Image on Host',
  'T1612 - Build Image on Host (seed SPL)',
];
/** Default package path, relative to the working directory. */
export const DEFAULT_PACKAGE = `dist/${APP_ID}-${APP_VERSION}.tgz`;
