import type { Ticket } from '@aftercare/core';
import { createDatabase, type ServiceDatabase } from '../../src/db/database.ts';
import { aStockLocation } from './factories.ts';
import { aServiceScene, planner, type Repositories, repositories } from './world.ts';

export type ServiceScene = Awaited<ReturnType<typeof aServiceScene>>;

/** What the stock and transfer tests start from: a fresh in-memory database and its repositories. */
export interface StockWorld {
  db: ServiceDatabase;
  repos: Repositories;
  scene: ServiceScene;
  /** The central warehouse, empty. */
  warehouse: string;
  /** The scene partner's depot, empty. */
  depot: string;
}

/** The service scene over a fresh in-memory database, with two empty stock locations to move parts between. */
export async function aStockWorld(): Promise<StockWorld> {
  const db = await createDatabase({ file: ':memory:' });
  const repos = repositories(db);
  const scene = await aServiceScene(repos);
  const warehouse = (await repos.stock.createLocation(aStockLocation())).id;
  const depot = (
    await repos.stock.createLocation(
      aStockLocation({ name: 'Depot', kind: 'partner_depot', partnerId: scene.partner.id }),
    )
  ).id;
  return { db, repos, scene, warehouse, depot };
}

/** A corrective ticket for the scene's split AC, opened by the planner: it hums and will not start. */
export function aCorrectiveTicket(repos: Repositories, scene: ServiceScene): Promise<Ticket> {
  return repos.tickets.create(
    {
      kind: 'corrective',
      deviceId: scene.device.id,
      description: 'Hums, will not start',
      failureMode: 'capacitor_degradation',
    },
    planner,
  );
}
