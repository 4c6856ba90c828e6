import { evaluateRoute, type Problem, unassignedPenalty } from './dispatch-problem.ts';
import { SeededRandom } from './seeded-random.ts';

/**
 * The optimising planner's search: regret insertion to build routes, then local search (relocate, swap,
 * 2-opt inside a route, tail exchange between routes, and trading an unassigned job for a cheaper one),
 * then seeded ruin-and-recreate rounds that pull out a cluster of neighbouring jobs and rebuild it. The
 * objective is `evaluateRoute`'s cost summed over routes plus `unassignedPenalty` per unplaced job.
 */

const EPS = 1e-6;

interface Insertion {
  pos: number;
  cost: number;
}

export class RouteSearch {
  readonly routes: number[][];
  readonly cost: number[];
  readonly pool: Set<number>;

  constructor(
    readonly p: Problem,
    routes: readonly (readonly number[])[],
    pool: Iterable<number>,
  ) {
    this.routes = routes.map((r) => [...r]);
    this.cost = this.routes.map((r, t) => evaluateRoute(p, t, r)?.cost ?? Number.POSITIVE_INFINITY);
    this.pool = new Set(pool);
  }

  total(): number {
    let sum = this.cost.reduce((s, c) => s + c, 0);
    for (const j of this.pool) sum += unassignedPenalty(this.p, j);
    return sum;
  }

  snapshot(): { routes: number[][]; cost: number[]; pool: number[] } {
    return { routes: this.routes.map((r) => [...r]), cost: [...this.cost], pool: [...this.pool] };
  }

  restore(s: { routes: number[][]; cost: number[]; pool: number[] }): void {
    s.routes.forEach((r, t) => {
      this.routes[t] = [...r];
    });
    s.cost.forEach((c, t) => {
      this.cost[t] = c;
    });
    this.pool.clear();
    for (const j of s.pool) this.pool.add(j);
  }

  /** The cheapest feasible place for job `j` in `route` (technician `t`'s, by default their current one). */
  bestInsertion(j: number, t: number, route: readonly number[] = this.routes[t]!): Insertion | null {
    let best: Insertion | null = null;
    for (let pos = 0; pos <= route.length; pos++) {
      const seq = [...route.slice(0, pos), j, ...route.slice(pos)];
      const e = evaluateRoute(this.p, t, seq);
      if (e && (!best || e.cost < best.cost - EPS)) best = { pos, cost: e.cost };
    }
    return best;
  }

  private set(t: number, route: number[], cost: number): void {
    this.routes[t] = route;
    this.cost[t] = cost;
  }

  /**
   * Regret-2 insertion of every job in the pool: the job whose best place is most ahead of its
   * second-best goes first (a job that fits one technician only goes before one that fits many).
   */
  insertPool(): void {
    const p = this.p;
    const cache = new Map<number, Map<number, Insertion | null>>();
    for (const j of this.pool) {
      cache.set(j, new Map(p.candidates[j]!.map((t) => [t, this.bestInsertion(j, t)])));
    }
    while (cache.size > 0) {
      let chosen: { j: number; t: number; ins: Insertion; regret: number } | null = null;
      for (const [j, options] of cache) {
        let first: { t: number; ins: Insertion; delta: number } | null = null;
        let second = Number.POSITIVE_INFINITY;
        for (const [t, ins] of options) {
          if (!ins) continue;
          const delta = ins.cost - this.cost[t]!;
          if (!first || delta < first.delta) {
            if (first) second = first.delta;
            first = { t, ins, delta };
          } else if (delta < second) second = delta;
        }
        if (!first || first.delta >= unassignedPenalty(p, j)) {
          cache.delete(j);
          continue;
        }
        // One feasible place only: it goes before jobs with choices (ties broken by the earlier SLA).
        const regret = (Number.isFinite(second) ? second - first.delta : 1e6) + unassignedPenalty(p, j);
        if (
          !chosen ||
          regret > chosen.regret + EPS ||
          (Math.abs(regret - chosen.regret) <= EPS && p.sla[j]! < p.sla[chosen.j]!)
        ) {
          chosen = { j, t: first.t, ins: first.ins, regret };
        }
      }
      if (!chosen) break;
      const { j, t, ins } = chosen;
      const route = [...this.routes[t]!];
      route.splice(ins.pos, 0, j);
      this.set(t, route, ins.cost);
      this.pool.delete(j);
      cache.delete(j);
      for (const [other, options] of cache) {
        if (options.has(t)) options.set(t, this.bestInsertion(other, t));
      }
    }
  }

  /** Moves one job to its best place in any route (its own included) when that lowers the cost. */
  private relocatePass(): boolean {
    const p = this.p;
    let improved = false;
    for (let a = 0; a < this.routes.length; a++) {
      for (let i = 0; i < this.routes[a]!.length; i++) {
        const j = this.routes[a]![i]!;
        const without = this.routes[a]!.filter((_, k) => k !== i);
        const costWithout = evaluateRoute(p, a, without)?.cost;
        if (costWithout === undefined) continue;
        for (const b of p.candidates[j]!) {
          const base = b === a ? without : this.routes[b]!;
          const ins = this.bestInsertion(j, b, base);
          if (!ins) continue;
          const delta =
            b === a ? ins.cost - this.cost[a]! : costWithout - this.cost[a]! + ins.cost - this.cost[b]!;
          if (delta < -EPS) {
            const target = [...base];
            target.splice(ins.pos, 0, j);
            if (b !== a) this.set(a, without, costWithout);
            this.set(b, target, ins.cost);
            improved = true;
            break;
          }
        }
      }
    }
    return improved;
  }

  /** Exchanges two jobs between two routes, each taking the other's place. */
  private swapPass(): boolean {
    const p = this.p;
    let improved = false;
    for (let a = 0; a < this.routes.length; a++) {
      for (let b = a + 1; b < this.routes.length; b++) {
        for (let i = 0; i < this.routes[a]!.length; i++) {
          for (let k = 0; k < this.routes[b]!.length; k++) {
            const j = this.routes[a]![i]!;
            const l = this.routes[b]![k]!;
            if (p.qualified[b * p.n + j] !== 1 || p.qualified[a * p.n + l] !== 1) continue;
            const ra = this.routes[a]!.map((x, idx) => (idx === i ? l : x));
            const rb = this.routes[b]!.map((x, idx) => (idx === k ? j : x));
            const ea = evaluateRoute(p, a, ra);
            if (!ea) continue;
            const eb = evaluateRoute(p, b, rb);
            if (!eb) continue;
            if (ea.cost + eb.cost < this.cost[a]! + this.cost[b]! - EPS) {
              this.set(a, ra, ea.cost);
              this.set(b, rb, eb.cost);
              improved = true;
            }
          }
        }
      }
    }
    return improved;
  }

  /** Reverses a stretch of one route (2-opt). */
  private twoOptPass(): boolean {
    let improved = false;
    for (let t = 0; t < this.routes.length; t++) {
      const len = this.routes[t]!.length;
      for (let i = 0; i < len - 1; i++) {
        for (let k = i + 1; k < len; k++) {
          const r = this.routes[t]!;
          const seq = [...r.slice(0, i), ...r.slice(i, k + 1).reverse(), ...r.slice(k + 1)];
          const e = evaluateRoute(this.p, t, seq);
          if (e && e.cost < this.cost[t]! - EPS) {
            this.set(t, seq, e.cost);
            improved = true;
          }
        }
      }
    }
    return improved;
  }

  /** Exchanges the tails of two routes (2-opt*): a's jobs after position i go to b and vice versa. */
  private tailExchangePass(): boolean {
    let improved = false;
    for (let a = 0; a < this.routes.length; a++) {
      for (let b = a + 1; b < this.routes.length; b++) {
        for (let i = 0; i <= this.routes[a]!.length; i++) {
          for (let k = 0; k <= this.routes[b]!.length; k++) {
            const ra = this.routes[a]!;
            const rb = this.routes[b]!;
            if (i === ra.length && k === rb.length) continue;
            const na = [...ra.slice(0, i), ...rb.slice(k)];
            const nb = [...rb.slice(0, k), ...ra.slice(i)];
            const ea = evaluateRoute(this.p, a, na);
            if (!ea) continue;
            const eb = evaluateRoute(this.p, b, nb);
            if (!eb) continue;
            if (ea.cost + eb.cost < this.cost[a]! + this.cost[b]! - EPS) {
              this.set(a, na, ea.cost);
              this.set(b, nb, eb.cost);
              improved = true;
            }
          }
        }
      }
    }
    return improved;
  }

  /** Places unassigned jobs, or trades one in for a placed job that costs less to leave out. */
  private poolPass(): boolean {
    const p = this.p;
    let improved = false;
    for (const j of [...this.pool]) {
      let done = false;
      for (const t of p.candidates[j]!) {
        const ins = this.bestInsertion(j, t);
        if (ins && ins.cost - this.cost[t]! < unassignedPenalty(p, j) - EPS) {
          const route = [...this.routes[t]!];
          route.splice(ins.pos, 0, j);
          this.set(t, route, ins.cost);
          this.pool.delete(j);
          improved = done = true;
          break;
        }
      }
      for (let ti = 0; !done && ti < p.candidates[j]!.length; ti++) {
        const t = p.candidates[j]![ti]!;
        for (let i = 0; i < this.routes[t]!.length; i++) {
          const l = this.routes[t]![i]!;
          const seq = this.routes[t]!.map((x, idx) => (idx === i ? j : x));
          const e = evaluateRoute(p, t, seq);
          const delta = e ? e.cost - this.cost[t]! + unassignedPenalty(p, l) - unassignedPenalty(p, j) : 0;
          if (e && delta < -EPS) {
            this.set(t, seq, e.cost);
            this.pool.delete(j);
            this.pool.add(l);
            improved = done = true;
            break;
          }
        }
      }
    }
    return improved;
  }

  /** Runs every neighbourhood until none improves (or `maxRounds`). */
  localSearch(maxRounds = 50): void {
    for (let round = 0; round < maxRounds; round++) {
      let improved = this.poolPass();
      improved = this.relocatePass() || improved;
      improved = this.twoOptPass() || improved;
      improved = this.swapPass() || improved;
      improved = this.tailExchangePass() || improved;
      if (!improved) return;
    }
  }

  /**
   * Ruin and recreate: take out a job and its nearest placed neighbours, rebuild by regret insertion,
   * polish by local search; keep the result when it is cheaper, else go back.
   */
  ruinAndRecreate(rounds: number, seed: number): void {
    const p = this.p;
    const rng = new SeededRandom(seed);
    const size = p.n + p.m;
    const placeable = p.open.filter((j) => p.candidates[j]!.length > 0);
    if (placeable.length === 0) return;
    for (let round = 0; round < rounds; round++) {
      const before = this.snapshot();
      const beforeTotal = this.total();
      const centre = rng.pick(placeable);
      const removeCount = rng.intBetween(4, Math.min(16, placeable.length));
      const nearest = [...placeable]
        .sort((a, b) => p.km[centre * size + a]! - p.km[centre * size + b]!)
        .slice(0, removeCount);
      const removed = new Set(nearest);
      for (let t = 0; t < this.routes.length; t++) {
        const kept = this.routes[t]!.filter((j) => !removed.has(j));
        if (kept.length !== this.routes[t]!.length) {
          this.set(t, kept, evaluateRoute(p, t, kept)?.cost ?? Number.POSITIVE_INFINITY);
        }
      }
      for (const j of removed) this.pool.add(j);
      this.insertPool();
      this.localSearch(10);
      if (this.total() >= beforeTotal - EPS) this.restore(before);
    }
  }
}
