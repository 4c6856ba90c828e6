import type { Logger, Risk } from '@aftercare/core';
import type { RemoteTroubleshooting } from './remote-commands.ts';
import type { RiskAutomation, RiskHandling } from './risk-sink.ts';

/**
 * The risk automation with remote troubleshooting around it. Before the risks are acted on, a
 * predictive ticket whose remote fix the device acknowledged and whose risk has now cleared is
 * resolved as fixed remotely, or its repair taken out of the AMC visit it rode on (so the risk
 * policy then finds no work left to plan or cancel); after, every repair the risks opened, folded or
 * kept gets its remote fix sent, once, while its technician's visit is still ahead. A failure of either step is logged and leaves the risk
 * automation's own work untouched.
 */
export function withRemoteTroubleshooting(
  inner: RiskAutomation,
  remote: RemoteTroubleshooting,
  logger: Logger,
): RiskAutomation {
  const log = logger.child({ component: 'remote-troubleshooting' });
  let queue: Promise<unknown> = Promise.resolve();

  async function handle(risks: readonly Risk[]): Promise<RiskHandling[]> {
    try {
      await remote.resolveCleared(risks);
    } catch (err) {
      log.error({ err }, 'tickets fixed remotely could not be resolved; the next scores try again');
    }
    const results = await inner.handleRisks(risks);
    const tickets = results.flatMap((r) =>
      r.ticketId !== null &&
      (r.action === 'open' || r.action === 'keep' || r.action === 'fold_into_amc_visit')
        ? [r.ticketId]
        : [],
    );
    try {
      await remote.tryRemoteFirst(tickets);
    } catch (err) {
      log.error({ err }, 'the remote fix could not be sent; the visit goes ahead as planned');
    }
    return results;
  }

  async function handleRisks(risks: readonly Risk[]): Promise<RiskHandling[]> {
    const run = queue.then(() => handle(risks));
    queue = run.catch(() => {});
    return run;
  }

  return {
    handleRisks,
    async acceptRisks(risks) {
      const results = await handleRisks(risks);
      const failed = results.filter((r) => r.action === 'failed');
      if (failed.length > 0) {
        throw new Error(
          `${failed.length} of ${results.length} risks could not be acted on (first: ${failed[0]!.deviceId} ${failed[0]!.component}: ${failed[0]!.reason}); the batch is safe to offer again`,
        );
      }
    },
  };
}
