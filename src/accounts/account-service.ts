import type { JsonObject } from '../audit/canonical-json.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import {
  type Account,
  type AccountInput,
  type AccountPatch,
  buildAccount,
  checkAccountFields,
  checkAccountPatch,
} from './account.ts';
import { parseAccountsSection } from './account-config.ts';
import type { AccountRepo, AccountTransaction } from './ports.ts';

/** What `syncFromConfig` did, by account id. */
export interface AccountSyncResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /**
   * Accounts whose `permission_set_arn` in the file differs but cannot change yet (grants are not over): the rest of
   * the entry is applied, the set is kept, and start-up goes on (present only when there are any).
   */
  kept?: { id: string; reason: string }[];
}

/** The actor recorded for accounts written from iam-jit.yaml or by callers that name none (seeding, benches). */
export const CONFIG_ACTOR = 'system';

/**
 * Account administration (admin only; callers check the role). Every write is audited (`account.created`,
 * `account.updated`, `account.deleted`) in its transaction, as `actorId` (default `system`; the API always passes the
 * admin's id). Throws BrokerError: `InvalidInput`,
 * `NotFound`, `AccountExists`, `AccountInUse` (requests refer to it, or its `permission_set_arn` changes while
 * grants in it are pending, active or ending).
 */
export interface AccountService {
  create(input: AccountInput, actorId?: string): Promise<Account>;
  /** The account, or undefined. */
  get(id: string): Promise<Account | undefined>;
  list(options?: { limit?: number; after?: string }): Promise<Account[]>;
  update(id: string, patch: AccountPatch, actorId?: string): Promise<Account>;
  /** Deletes an account no request refers to (`AccountInUse` otherwise). */
  remove(id: string, actorId?: string): Promise<void>;
  /**
   * Creates or updates every account of the `accounts:` section of iam-jit.yaml (GitOps), audited as `system`.
   * Accounts absent from the file are left alone. Throws `InvalidInput` naming the YAML path of the first bad
   * field; nothing is written then.
   */
  syncFromConfig(section: unknown): Promise<AccountSyncResult>;
}

function sameAccount(a: Account, b: Account): boolean {
  const { createdAt: _a, updatedAt: _b, ...x } = a;
  const { createdAt: _c, updatedAt: _d, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * Refuses to move an account's permission set while it has grants that are not over: their revocation and leases
 * are keyed on the account's set, so changing it under them could remove the wrong assignment or touch an admin's
 * set as if it were a per-grant one.
 */
async function checkPermissionSetChange(repo: AccountRepo, current: Account, next: Account): Promise<void> {
  if (current.permissionSetArn === next.permissionSetArn) return;
  if (await repo.hasLiveGrants(current.id))
    throw new BrokerError(
      'AccountInUse',
      `permission_set_arn: account ${current.id} has grants that are pending, active or ending; it can change once they have ended (revoke them first)`,
      { details: { account_id: current.id, field: 'permission_set_arn' } },
    );
}

/** The audit form of an account (no external id: it is a shared secret with the spoke account). */
function auditData(a: Account, extra: Record<string, unknown> = {}): JsonObject {
  const { externalId: _secret, createdAt: _c, updatedAt: _u, ...rest } = a;
  return JSON.parse(JSON.stringify({ ...rest, ...extra })) as JsonObject;
}

/** Creates the account service over its repo, a transaction runner (with the audit log) and a clock. */
export function createAccountService(deps: {
  accounts: AccountRepo;
  transaction: AccountTransaction;
  clock: Clock;
}): AccountService {
  const { accounts, transaction, clock } = deps;

  async function audit(log: AuditLog, actor: string, action: string, account: Account, extra = {}) {
    await log.append({
      at: clock.now(),
      actor,
      action,
      subject: account.id,
      data: auditData(account, extra),
    });
  }

  return {
    async create(input, actorId = CONFIG_ACTOR) {
      const account = buildAccount(input, clock.now());
      // Insert writes the account, its approver list and the audit event: one transaction.
      const inserted = await transaction(async ({ accounts: repo, audit: log }) => {
        if (!(await repo.insert(account))) return false;
        await audit(log, actorId, 'account.created', account);
        return true;
      });
      if (!inserted) throw new BrokerError('AccountExists', `account ${account.id} already exists`);
      return account;
    },
    get: (id) => accounts.get(id),
    list: (options) => accounts.list(options),
    update: (id, patch, actorId = CONFIG_ACTOR) =>
      transaction(async ({ accounts: repo, audit: log }) => {
        const current = await repo.get(id);
        if (current === undefined) throw new BrokerError('NotFound', `account ${id} not found`);
        const next = checkAccountFields({
          ...current,
          ...checkAccountPatch(patch, id),
          updatedAt: clock.now(),
        });
        await checkPermissionSetChange(repo, current, next);
        if (!(await repo.replace(next))) throw new BrokerError('NotFound', `account ${id} not found`);
        await audit(log, actorId, 'account.updated', next);
        return next;
      }),
    async remove(id, actorId = CONFIG_ACTOR) {
      await transaction(async ({ accounts: repo, audit: log }) => {
        const current = await repo.get(id);
        if (current === undefined) throw new BrokerError('NotFound', `account ${id} not found`);
        if (await repo.isReferenced(id))
          throw new BrokerError('AccountInUse', `account ${id} has requests; it cannot be deleted`, {
            details: { account_id: id },
          });
        await repo.delete(id);
        await audit(log, actorId, 'account.deleted', current);
      });
    },
    async syncFromConfig(section) {
      const inputs = parseAccountsSection(section);
      const now = clock.now();
      return transaction(async ({ accounts: repo, audit: log }) => {
        const result: AccountSyncResult = { created: [], updated: [], unchanged: [] };
        const kept: { id: string; reason: string }[] = [];
        for (const input of inputs) {
          let wanted = buildAccount(input, now);
          const current = await repo.get(input.id);
          // A file edit must not stop the server (expiries would stop with it): a set that cannot move yet is kept.
          if (current !== undefined && current.permissionSetArn !== wanted.permissionSetArn)
            try {
              await checkPermissionSetChange(repo, current, { ...wanted, createdAt: current.createdAt });
            } catch (e) {
              if (!(e instanceof BrokerError)) throw e;
              kept.push({ id: input.id, reason: e.message });
              wanted = { ...wanted, permissionSetArn: current.permissionSetArn };
            }
          if (current === undefined) {
            await repo.insert(wanted);
            await audit(log, CONFIG_ACTOR, 'account.created', wanted, { source: 'iam-jit.yaml' });
            result.created.push(input.id);
          } else if (sameAccount(current, { ...wanted, createdAt: current.createdAt })) {
            result.unchanged.push(input.id);
          } else {
            const next = { ...wanted, createdAt: current.createdAt };
            await checkPermissionSetChange(repo, current, next);
            await repo.replace(next);
            await audit(log, CONFIG_ACTOR, 'account.updated', next, { source: 'iam-jit.yaml' });
            result.updated.push(input.id);
          }
        }
        return kept.length === 0 ? result : { ...result, kept };
      });
    },
  };
}
