/** `t1612 deploy` / `t1612 verify`: install and check the app on splunkd over REST (splunk-sdk). See docs/deploy.md. */
export { runDeploy, DEPLOY_USAGE } from './deploy';
export { runVerify, VERIFY_USAGE, resultRows } from './verify';
export { APP_ID, APP_VERSION, SAVED_SEARCHES } from './constants';
export { VERIFY_CASES, buildVerifySearch, expectedFor } from './cases';
