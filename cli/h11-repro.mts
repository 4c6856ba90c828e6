import { createLogger } from '@aftercare/core';
import { createFleet } from '@aftercare/device-sim';
import { createDatabase } from '/work/main/service/src/db/database.ts';
import { createAmcScheduler } from '/work/main/service/src/operations/amc-scheduler.ts';
import { seedDemoWorld } from '/work/main/service/src/operations/demo-seed.ts';
import { createServiceRepositories } from '/work/main/service/src/repositories/service-repositories.ts';

const now = Number(process.env.NOW ?? Date.now());
const logger = createLogger({ level: 'silent' });
const db = await createDatabase({ file: ':memory:' });
const repos = createServiceRepositories(db, { clock: () => now });
const specs = createFleet({ seed: 1, devices: 50, start: now - 2 * 3600e3 }).specs;
for (const s of specs)
  await repos.devices.provision({
    id: s.id,
    model: s.model,
    location: { lat: s.location.lat, lon: s.location.lon },
    installedAt: new Date(s.installedAt).toISOString(),
  });
const demo = await seedDemoWorld({
  repositories: repos,
  devices: specs.map((s) => ({
    id: s.id,
    model: s.model,
    position: { lat: s.location.lat, lon: s.location.lon },
    installedAt: s.installedAt,
    serial: s.serial,
  })),
  seed: 1,
  now,
  timezone: 'Asia/Kolkata',
  demoPassword: 'xxxxxxxxxxxxxxxx',
  logger,
});
console.log('demo tech', demo.technicianId);
const amc = createAmcScheduler({ repositories: repos, logger, clock: () => now });
const report = await amc.runOnce(now);
console.log(JSON.stringify({ ...report, renewalsDue: report?.renewalsDue.length }, null, 0));
const t = await repos.tickets.list({ kind: 'amc_visit', limit: 100, offset: 0 });
for (const x of t.items)
  console.log(
    x.id,
    x.status,
    x.technicianId,
    x.appointment && new Date(x.appointment.start).toISOString(),
    new Date(x.slaDueAt).toISOString(),
    x.contractId,
    x.partnerId ?? '',
  );
const techs = await repos.partners.listTechnicians?.({ limit: 100, offset: 0 });
for (const x of techs?.items ?? [])
  console.log(
    x.id,
    x.partnerId,
    x.status,
    JSON.stringify(x.workingHours),
    x.dailyCapacityMinutes,
    x.skills.map((s) => s.skill).join(','),
  );
await db.destroy();
