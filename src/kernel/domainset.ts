/**
 * domainset(9): which memory domains an allocation may come from, and in which order. A
 * domainset is an immutable, interned value, as in FreeBSD (`domainset_create` returns the one
 * shared instance for a key); "all domains" means every domain of the kernel it is used with.
 */
import { describeValue } from './arguments.js';
import {
  DOMAINSET_POLICY_FIRSTTOUCH,
  DOMAINSET_POLICY_INTERLEAVE,
  DOMAINSET_POLICY_MAX,
  DOMAINSET_POLICY_PREFER,
  DOMAINSET_POLICY_ROUNDROBIN,
  MAXMEMDOM,
} from './constants.js';

/**
 * A set of domains and a policy (`struct domainset`): `mask` has bit d set for domain d
 * (`ALL_DOMAINS` for every domain of the kernel), `prefer` is the preferred domain of the
 * PREFER policy (−1 otherwise).
 *
 * @category domainset
 * @since 0.1.0
 */
export interface Domainset {
  readonly ds_mask: number;
  readonly ds_policy: number;
  readonly ds_prefer: number;
}

/**
 * The mask of every domain of the kernel a domainset is used with.
 *
 * @category domainset
 * @since 0.1.0
 */
export const ALL_DOMAINS = -1;

const interned = new Map<string, Domainset>();

const intern = (mask: number, policy: number, prefer: number): Domainset => {
  const key = `${mask}:${policy}:${prefer}`;
  let ds = interned.get(key);
  if (ds === undefined) {
    ds = Object.freeze({ ds_mask: mask, ds_policy: policy, ds_prefer: prefer });
    interned.set(key, ds);
  }
  return ds;
};

const checkDomain = (call: string, domain: unknown): number => {
  if (typeof domain === 'number' && Number.isInteger(domain) && domain >= 0 && domain < MAXMEMDOM)
    return domain;
  throw new RangeError(
    `${call}: a domain must be an integer from 0 to ${MAXMEMDOM - 1}, got ${describeValue(domain)}`,
  );
};

/**
 * Every domain, round-robin (`DOMAINSET_RR()`): each call from a thread starts at the domain
 * after the one its previous call started at.
 *
 * @category domainset
 * @since 0.1.0
 */
export const DOMAINSET_RR = (): Domainset => intern(ALL_DOMAINS, DOMAINSET_POLICY_ROUNDROBIN, -1);

/**
 * Every domain, first-touch (`DOMAINSET_FT()`): the calling thread's home domain first, then
 * the others round-robin.
 *
 * @category domainset
 * @since 0.1.0
 */
export const DOMAINSET_FT = (): Domainset => intern(ALL_DOMAINS, DOMAINSET_POLICY_FIRSTTOUCH, -1);

/**
 * Every domain, interleaved (`DOMAINSET_IL()`): for malloc there is no object offset, so the
 * first domain of the set first, then the others round-robin.
 *
 * @category domainset
 * @since 0.1.0
 */
export const DOMAINSET_IL = (): Domainset => intern(ALL_DOMAINS, DOMAINSET_POLICY_INTERLEAVE, -1);

/**
 * Domain `d` only (`DOMAINSET_FIXED(d)`, round-robin over one domain): an M_WAITOK allocation
 * waits for that domain, however much the others have free.
 *
 * @category domainset
 * @since 0.1.0
 */
export const DOMAINSET_FIXED = (d: number): Domainset =>
  intern(1 << checkDomain('DOMAINSET_FIXED', d), DOMAINSET_POLICY_ROUNDROBIN, -1);

/**
 * Domain `d` first, then the others round-robin, skipping `d` (`DOMAINSET_PREF(d)`).
 *
 * @category domainset
 * @since 0.1.0
 */
export const DOMAINSET_PREF = (d: number): Domainset =>
  intern(ALL_DOMAINS, DOMAINSET_POLICY_PREFER, checkDomain('DOMAINSET_PREF', d));

/**
 * The interned domainset for a key (`domainset_create`): `mask` a bitmask of domains (or
 * {@link ALL_DOMAINS}), `policy` one of the `DOMAINSET_POLICY_*`, `prefer` the preferred
 * domain of PREFER (which must be in the mask, as domainset(9) requires) and −1 otherwise.
 * Returns `null` for a key FreeBSD would refuse (an empty mask, an unknown policy, a preferred
 * domain outside the mask, a PREFER without one), as `domainset_create` returns NULL.
 *
 * @category domainset
 * @since 0.1.0
 */
export const domainset_create = (key: {
  readonly ds_mask: number;
  readonly ds_policy: number;
  readonly ds_prefer?: number;
}): Domainset | null => {
  const { ds_mask: mask, ds_policy: policy } = key;
  const prefer = key.ds_prefer ?? -1;
  if (typeof mask !== 'number' || (mask | 0) !== mask || mask === 0) return null;
  if (typeof policy !== 'number' || policy <= 0 || policy > DOMAINSET_POLICY_MAX) return null;
  if (policy === DOMAINSET_POLICY_PREFER) {
    if (!Number.isInteger(prefer) || prefer < 0 || prefer >= MAXMEMDOM) return null;
    if ((mask & (1 << prefer)) === 0) return null;
  } else if (prefer !== -1) return null;
  return intern(mask, policy, prefer);
};

/**
 * Whether `value` is a domainset made here.
 *
 * @internal
 */
export const isDomainset = (value: unknown): value is Domainset =>
  typeof value === 'object' && value !== null && interned.get(keyOf(value)) === value;

const keyOf = (value: object): string => {
  const v = value as Partial<Domainset>;
  return `${v.ds_mask}:${v.ds_policy}:${v.ds_prefer}`;
};

/**
 * The domains of `ds` a kernel of `ndomains` domains has, in order (`ds_order`). Throws a
 * `RangeError` naming `call` when the set names a domain the kernel does not have.
 *
 * @internal
 */
export const orderOf = (call: string, ds: Domainset, ndomains: number): number[] => {
  const all = (1 << ndomains) - 1 || -1;
  const mask = ds.ds_mask === ALL_DOMAINS ? all : ds.ds_mask;
  if ((mask & ~all) !== 0 && ndomains < 32) {
    const d = 31 - Math.clz32(mask & ~all);
    throw new RangeError(`${call}: the domainset names domain ${d}; the kernel has ${ndomains}`);
  }
  const order: number[] = [];
  for (let d = 0; d < ndomains; d++) if ((mask & (1 << d)) !== 0) order.push(d);
  return order;
};

/**
 * The domainset iterator of `vm_domainset.c`: the first domain, then the next after each
 * failure, with the first pass skipping domains below their minimum free pages, and a second
 * pass without skipping. `next()` returns −1 when every domain has been tried.
 *
 * @internal
 */
export class DomainIterator {
  domain = 0;
  private n = 0;
  private minskip = true;

  constructor(
    private readonly order: readonly number[],
    private readonly policy: number,
    private readonly prefer: number,
    /** The calling thread's home domain (FIRSTTOUCH). */
    private readonly home: number,
    /** The thread's round-robin iterator (`td_domain.dr_iter`), shared by its calls. */
    private readonly iter: { value: number },
    /** Whether a domain is below its minimum free pages. */
    private readonly belowMin: (domain: number) => boolean,
  ) {
    this.first();
    if (this.belowMin(this.domain)) this.domain = this.next();
  }

  private first(): void {
    const cnt = this.order.length;
    switch (this.policy) {
      case DOMAINSET_POLICY_FIRSTTOUCH:
        if (this.order.includes(this.home)) {
          this.domain = this.home;
          this.n = cnt + 1;
          return;
        }
        this.rr();
        this.n = cnt;
        return;
      case DOMAINSET_POLICY_PREFER:
        this.domain = this.prefer;
        this.n = cnt;
        return;
      case DOMAINSET_POLICY_INTERLEAVE:
        this.domain = this.order[0]!;
        this.n = cnt;
        return;
      default:
        this.rr();
        this.n = cnt;
    }
  }

  private rr(): void {
    this.iter.value = (this.iter.value + 1) | 0;
    this.domain = this.order[(this.iter.value >>> 0) % this.order.length]!;
  }

  private advance(): void {
    if (this.policy === DOMAINSET_POLICY_PREFER && this.order.length > 1) {
      do this.rr();
      while (this.domain === this.prefer);
    } else {
      this.rr();
    }
  }

  /** The next domain to try, or −1 when all have been tried (both passes). */
  next(): number {
    while (--this.n > 0) {
      this.advance();
      if (!this.minskip || !this.belowMin(this.domain)) return this.domain;
    }
    if (this.minskip) {
      this.minskip = false;
      this.first();
      return this.domain;
    }
    return -1;
  }

  /** Starts over (after a sleep), skipping domains below min again. */
  restart(): number {
    this.minskip = true;
    this.first();
    if (this.belowMin(this.domain)) return this.next();
    return this.domain;
  }
}
