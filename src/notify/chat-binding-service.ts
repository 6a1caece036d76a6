/** Chat bindings: a Slack or Mattermost incoming webhook per account (`/config/bind` in jit-aws-controller terms). */
import { type Account, isAccountApprover } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/crypto.ts';
import { BrokerError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import {
  CHAT_KINDS,
  type ChatBinding,
  type ChatBindingRepo,
  type ChatKind,
  type NotifyTransaction,
} from './ports.ts';
import type { AllowList, Resolver } from './ssrf.ts';
import { checkTargetUrlInput, maskUrl } from './target-url.ts';

/** Who is acting. */
export interface BindingActor {
  readonly id: string;
  readonly roles: readonly string[];
}

/** The binding use cases; each throws `NotFound` for an unknown account and `NotApprover` (403) for a caller who
 * is neither an admin nor an approver of the account. Changes are audited in their transaction. */
export interface ChatBindingService {
  list(actor: BindingActor, accountId: string): Promise<ChatBinding[]>;
  create(
    actor: BindingActor,
    accountId: string,
    input: { kind?: unknown; url?: unknown },
  ): Promise<ChatBinding>;
  remove(actor: BindingActor, accountId: string, bindingId: string): Promise<void>;
}

/** What the service needs. */
export interface ChatBindingServiceDeps {
  readonly accounts: Pick<AccountRepo, 'get'>;
  readonly bindings: Pick<ChatBindingRepo, 'byAccounts'>;
  readonly transaction: NotifyTransaction;
  readonly box: SecretBox;
  readonly allow: AllowList;
  readonly clock: Clock;
  readonly resolve?: Resolver;
}

/** At most this many bindings per account. */
export const MAX_BINDINGS_PER_ACCOUNT = 20;

/** Creates the chat binding service. */
export function createChatBindingService(deps: ChatBindingServiceDeps): ChatBindingService {
  async function authorize(actor: BindingActor, accountId: string): Promise<Account> {
    const account = await deps.accounts.get(accountId);
    if (account === undefined)
      throw new BrokerError('NotFound', `account ${accountId} not found`, {
        details: { account_id: accountId },
      });
    if (!isAccountApprover(account, actor))
      throw new BrokerError('NotApprover', 'approver role for this account required', {
        details: { account_id: accountId },
      });
    return account;
  }

  return {
    async list(actor, accountId) {
      await authorize(actor, accountId);
      return deps.bindings.byAccounts([accountId]);
    },
    async create(actor, accountId, input) {
      await authorize(actor, accountId);
      if (typeof input.kind !== 'string' || !(CHAT_KINDS as readonly string[]).includes(input.kind))
        throw new BrokerError('InvalidInput', `kind must be one of ${CHAT_KINDS.join(', ')}`, {
          details: { field: 'kind' },
        });
      const url = await checkTargetUrlInput(input.url, {
        field: 'url',
        allow: deps.allow,
        secret: true,
        opaque: true,
        ...(deps.resolve ? { resolve: deps.resolve } : {}),
      });
      const now = deps.clock.now();
      const binding: ChatBinding = {
        id: newId('chb'),
        accountId,
        kind: input.kind as ChatKind,
        urlMasked: maskUrl(url),
        createdBy: actor.id,
        createdAt: now,
      };
      await deps.transaction(async (tx) => {
        if ((await tx.bindings.byAccounts([accountId])).length >= MAX_BINDINGS_PER_ACCOUNT)
          throw new BrokerError(
            'InvalidInput',
            `an account has at most ${MAX_BINDINGS_PER_ACCOUNT} chat bindings`,
            {
              details: { account_id: accountId },
            },
          );
        await tx.bindings.insert(binding, deps.box.seal(url));
        await tx.audit.append({
          at: now,
          actor: actor.id,
          action: 'chat_binding.created',
          subject: accountId,
          data: { binding_id: binding.id, kind: binding.kind, url: binding.urlMasked },
        });
      });
      return binding;
    },
    async remove(actor, accountId, bindingId) {
      await authorize(actor, accountId);
      await deps.transaction(async (tx) => {
        const current = await tx.bindings.get(bindingId);
        if (
          current === undefined ||
          current.accountId !== accountId ||
          !(await tx.bindings.remove(bindingId))
        )
          throw new BrokerError('NotFound', `chat binding ${bindingId} not found`, {
            details: { account_id: accountId, binding_id: bindingId },
          });
        await tx.audit.append({
          at: deps.clock.now(),
          actor: actor.id,
          action: 'chat_binding.deleted',
          subject: accountId,
          data: { binding_id: bindingId, kind: current.kind, url: current.urlMasked },
        });
      });
    },
  };
}
