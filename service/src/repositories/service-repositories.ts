import type { ServiceDatabase } from '../db/database.ts';
import { EventBus } from '../events/event-bus.ts';
import { CatalogueRepository } from './catalogue-repository.ts';
import { ContractRepository } from './contract-repository.ts';
import { ContractVisitRepository } from './contract-visit-repository.ts';
import { CustomerRepository } from './customer-repository.ts';
import { DeviceRegistry } from './device-registry.ts';
import { FeedbackRepository } from './feedback-repository.ts';
import { PartnerRepository } from './partner-repository.ts';
import { PredictiveTicketRepository } from './predictive-ticket-repository.ts';
import { StockRepository } from './stock-repository.ts';
import { TicketCommandRepository } from './ticket-command-repository.ts';
import { TicketRepository } from './ticket-repository.ts';
import { TokenRepository } from './token-repository.ts';
import { TransferRepository } from './transfer-repository.ts';
import { UserRepository } from './user-repository.ts';

/** Every repository of the service, over one database, one clock and one event bus. */
export interface ServiceRepositories {
  events: EventBus;
  devices: DeviceRegistry;
  tokens: TokenRepository;
  users: UserRepository;
  customers: CustomerRepository;
  partners: PartnerRepository;
  catalogue: CatalogueRepository;
  stock: StockRepository;
  transfers: TransferRepository;
  contracts: ContractRepository;
  visits: ContractVisitRepository;
  tickets: TicketRepository;
  predictive: PredictiveTicketRepository;
  feedback: FeedbackRepository;
  /** Commands sent to devices for tickets (remote troubleshooting) and their answers. */
  commands: TicketCommandRepository;
}

export interface ServiceRepositoriesOptions {
  clock?: () => number;
  /** Where committed ticket changes are announced; a new bus when left out. */
  events?: EventBus;
  /** Lifetime of a login session. Default 12 h. */
  sessionHours?: number;
}

/**
 * Builds the repositories once, so the API and the automation (risk → ticket, parts, dispatch) share
 * them and their event bus: a ticket the automation opens reaches the console's event stream.
 */
export function createServiceRepositories(
  db: ServiceDatabase,
  options: ServiceRepositoriesOptions = {},
): ServiceRepositories {
  const clock = options.clock ?? Date.now;
  const events = options.events ?? new EventBus();
  return {
    events,
    devices: new DeviceRegistry(db, clock),
    tokens: new TokenRepository(db, clock),
    users: new UserRepository(db, { clock, sessionHours: options.sessionHours ?? 12 }),
    customers: new CustomerRepository(db, clock),
    partners: new PartnerRepository(db, clock),
    catalogue: new CatalogueRepository(db, clock),
    stock: new StockRepository(db, { clock, events }),
    transfers: new TransferRepository(db, { clock, events }),
    contracts: new ContractRepository(db, { clock, events }),
    visits: new ContractVisitRepository(db, { clock, events }),
    tickets: new TicketRepository(db, { clock, events }),
    predictive: new PredictiveTicketRepository(db, { clock, events }),
    feedback: new FeedbackRepository(db, clock),
    commands: new TicketCommandRepository(db, { clock, events }),
  };
}
