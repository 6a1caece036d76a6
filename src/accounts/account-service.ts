import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import {
  type Account,
  type AccountInput,
  type AccountPatch,
  buildAccount,
  checkAccountPatch,
} from './account.ts';
import { parseAccountsSection } from './account-config.ts';
import type { AccountRepo, AccountTransaction } from './ports.ts';

/** What `syncFromConfig` did, by account id. */
export interface AccountSyncResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Account administration (admin only; callers check the role). Throws BrokerError: `InvalidInput`, `NotFound`,
 * `AccountExists`, `AccountInUse`.
 */
export interface AccountService {
  create(input: AccountInput): Promise<Account>;
  /** The account, or undefined. */
  get(id: string): Promise<Account | undefined>;
  list(options?: { limit?: number; after?: string }): Promise<Account[]>;
  update(id: string, patch: AccountPatch): Promise<Account>;
  /** Deletes an account no request refers to (`AccountInUse` otherwise). */
  remove(id: string): Promise<void>;
  /**
   * Creates or updates every account of the `accounts:` section of iam-jit.yaml (GitOps). Accounts absent from the
   * file are left alone. Throws `InvalidInput` naming the YAML path of the first bad field; nothing is written then.
   */
  syncFromConfig(section: unknown): Promise<AccountSyncResult>;
}

function sameAccount(a: Account, b: Account): boolean {
  const { createdAt: _a, updatedAt: _b, ...x } = a;
  const { createdAt: _c, updatedAt: _d, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
}

/** Creates the account service over its repo, a transaction runner and a clock. */
export function createAccountService(deps: {
  accounts: AccountRepo;
  transaction: AccountTransaction;
  clock: Clock;
}): AccountService {
  const { accounts, transaction, clock } = deps;

  async function update(id: string, patch: AccountPatch, repo: AccountRepo): Promise<Account> {
    const current = await repo.get(id);
    if (current === undefined) throw new BrokerError('NotFound', `account ${id} not found`);
    const clean = checkAccountPatch(patch, id);
    const next: Account = { ...current, ...clean, updatedAt: clock.now() };
    if (!(await repo.replace(next))) throw new BrokerError('NotFound', `account ${id} not found`);
    return next;
  }

  return {
    async create(input) {
      const account = buildAccount(input, clock.now());
      // Insert writes the account and its approver list: one transaction.
      const inserted = await transaction(({ accounts: repo }) => repo.insert(account));
      if (!inserted) throw new BrokerError('AccountExists', `account ${account.id} already exists`);
      return account;
    },
    get: (id) => accounts.get(id),
    list: (options) => accounts.list(options),
    update: (id, patch) => transaction(({ accounts: repo }) => update(id, patch, repo)),
    async remove(id) {
      await transaction(async ({ accounts: repo }) => {
        if ((await repo.get(id)) === undefined) throw new BrokerError('NotFound', `account ${id} not found`);
        if (await repo.isReferenced(id))
          throw new BrokerError('AccountInUse', `account ${id} has requests; it cannot be deleted`, {
            details: { account_id: id },
          });
        await repo.delete(id);
      });
    },
    async syncFromConfig(section) {
      const inputs = parseAccountsSection(section);
      const now = clock.now();
      return transaction(async ({ accounts: repo }) => {
        const result: AccountSyncResult = { created: [], updated: [], unchanged: [] };
        for (const input of inputs) {
          const wanted = buildAccount(input, now);
          const current = await repo.get(input.id);
          if (current === undefined) {
            await repo.insert(wanted);
            result.created.push(input.id);
          } else if (sameAccount(current, { ...wanted, createdAt: current.createdAt })) {
            result.unchanged.push(input.id);
          } else {
            await repo.replace({ ...wanted, createdAt: current.createdAt });
            result.updated.push(input.id);
          }
        }
        return result;
      });
    },
  };
}
