/** detect() on a 50,000-event chunk: cheap for unrelated events, bounded for builds. */
import { detect, ModelEvent } from '../../src/detection/model';

it('scores 50,000 mixed events quickly', () => {
  const events: ModelEvent[] = [];
  for (let i = 0; i < 50000; i++) {
    if (i % 20 === 0) events.push({ t1612_source: 't', event_kind: 'process', process: `sudo docker build --no-cache -t app${i} /tmp/ctx${i}`, parent_process: 'bash -c make' });
    else if (i % 20 === 1) events.push({ t1612_source: 't', event_kind: 'docker_api', docker_api_method: 'GET', docker_api_path: '/v1.41/containers/json' });
    else events.push({ t1612_source: 't', event_kind: 'process', process: `/usr/bin/python3 /opt/app/worker.py --queue q${i} --verbose`, parent_process: 'systemd' });
  }
  const t0 = process.hrtime.bigint();
  let alerts = 0;
  for (const e of events) if (detect(e).alert_detail !== undefined) alerts++;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  expect(alerts).toBe(2500);
  expect(ms).toBeLessThan(2000);
});
