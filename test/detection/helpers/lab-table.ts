/** Renders the lab-step table of docs/detection.md from the model's output on the lab capture. */
import { detect } from '../../../src/detection/model';
import { dockerExec, readDockerdEvents, readLabSteps } from './lab';

const esc = (s: string): string => s.replace(/\|/g, '\\|');

export function renderLabTable(): string {
  const rows = [
    '| step | command (steps.txt) | event scored | activity | risk_score | alert_detail | t1612_reasons |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const step of readLabSteps()) {
    const e = dockerExec(step);
    const d = detect(e);
    rows.push(
      `| ${step.id.split('_')[0]} | \`${esc(step.command)}\` | docker CLI execve (cwd ${e.process_current_directory}) | ${d.t1612_activity} | ${d.risk_score} | ${d.alert_detail ?? ''} | ${esc(d.t1612_reasons.join('; '))} |`,
    );
  }
  for (const e of readDockerdEvents()) {
    const d = detect(e);
    if (d.t1612_activity === 'none') continue;
    const what =
      e.docker_api_form !== undefined
        ? 'dockerd form data (containers/create)'
        : `dockerd \`${esc(d.CommandLine ?? '')}\``;
    rows.push(
      `| dockerd (${d.t1612_image ?? '?'}) | | ${what} | ${d.t1612_activity} | ${d.risk_score} | ${d.alert_detail ?? ''} | ${esc(d.t1612_reasons.join('; '))} |`,
    );
  }
  return rows.join('\n');
}
