import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { RejectedRequest, type CaseRecord, type CaseStatus, type ExtractQueryRef } from './case';
import { registryIndexes } from '../naming';

/**
 * The hold registry (one DynamoDB table) and the append-only audit trail (a
 * second table). Registry items:
 * - case:       pk `CASE#<id>`, sk `META`, kind `case` (GSI `cases` lists them by creation)
 * - membership: pk `OBJ#<bucket>/<key>#<version>`, sk `CASE#<id>`, caseId, state
 *   (GSI `byCase` lists a case's objects; a strongly consistent Query on pk
 *   lists every case covering one version, which settling a flag needs).
 * Legal hold is one flag per version: the memberships in state `pending` or
 * `held` are its coverage, and the flag follows them (docs/holds.md, "Why
 * apply and release stay exact").
 */

export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
}

export interface Membership extends ObjectVersion {
  readonly caseId: string;
  /**
   * `pending` (covers the version; the flag may not be on yet), `held` (the
   * apply settled it), `releasing` (the case's release has begun: covers no
   * more; deleted once the flag is settled).
   */
  readonly state: 'pending' | 'held' | 'releasing';
}

/** Every audit step, in the order a case goes through them. */
export const AUDIT_STEPS = [
  'apply-started',
  'apply-job-submitted',
  'apply-job-completed',
  'extract-started',
  'objects-held',
  'apply-completed',
  'release-started',
  'release-job-submitted',
  'release-job-completed',
  'extracts-deleted',
  'release-completed',
  'orphan-repaired',
  'standing-held',
] as const;
export type AuditStep = (typeof AUDIT_STEPS)[number];

export interface AuditEntry {
  readonly caseId: string;
  /**
   * The step: the key that makes retries idempotent. Steps that can happen
   * more than once per case (one per S3 Batch Operations job) carry the job
   * id after a colon.
   */
  readonly event: AuditStep | `${AuditStep}:${string}`;
  readonly at: string;
  readonly actor: string;
  readonly details: Record<string, unknown>;
}

const casePk = (caseId: string) => `CASE#${caseId}`;
export const objectRef = (o: Pick<ObjectVersion, 'bucket' | 'key' | 'versionId'>) =>
  `${o.bucket}/${o.key}#${o.versionId}`;

const membershipItem = (m: Membership) => ({
  pk: `OBJ#${objectRef(m)}`,
  sk: casePk(m.caseId),
  objectRef: objectRef(m),
  ...m,
});

/** A case item without its key attributes. */
function caseOf(item: Record<string, unknown>): CaseRecord {
  const record = { ...item };
  for (const key of ['pk', 'sk', 'kind']) delete record[key];
  return record as unknown as CaseRecord;
}

/** TransactWriteItems takes 100 actions: 99 memberships and the check of their case. */
const TRANSACT_PUTS_MAX = 99;

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class HoldRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    /** Absent for readers of cases alone (the retention monitor, the live audit). */
    private readonly auditTable?: string,
  ) {}

  get auditTableName(): string {
    if (!this.auditTable)
      throw new Error('this registry client has no audit table (HOLD_AUDIT_TABLE)');
    return this.auditTable;
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: casePk(caseId), sk: 'META' },
        ConsistentRead: true,
      }),
    );
    return Item ? caseOf(Item) : undefined;
  }

  /** Creates the case; false when a case with this id already exists. */
  async createCase(record: CaseRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: casePk(record.caseId), sk: 'META', kind: 'case', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The case's wrapped data key (core/holds/case-secrets.ts), if it still exists. */
  async getCaseKey(caseId: string): Promise<Uint8Array | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: casePk(caseId), sk: 'KEY' },
        ConsistentRead: true,
      }),
    );
    return Item?.wrappedKey as Uint8Array | undefined;
  }

  /** Stores the case's wrapped data key once; false when one exists already. */
  async putCaseKey(caseId: string, wrappedKey: Uint8Array): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: casePk(caseId), sk: 'KEY', wrappedKey },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Destroys the case's wrapped data key: its sealed filters can no longer be read. */
  async deleteCaseKey(caseId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: casePk(caseId), sk: 'KEY' } }),
    );
  }

  /** Moves the case to `status` from one of `from`; false when it was in another state. */
  async updateCase(
    caseId: string,
    from: readonly CaseStatus[],
    status: CaseStatus,
    fields: Partial<Omit<CaseRecord, 'caseId' | 'status'>> = {},
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    const sets = ['#status = :status', ...entries.map((_, i) => `#f${i} = :f${i}`)];
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: casePk(caseId), sk: 'META' },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
          },
          ExpressionAttributeValues: {
            ':status': status,
            ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
            ...Object.fromEntries(entries.map(([, v], i) => [`:f${i}`, v])),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Records the extract query an applying case now waits for, only if the
   * case still names `previous` (none for the first): of two applies that
   * started a query at once, one wins and the other stops its own.
   */
  async recordExtractQuery(
    caseId: string,
    previous: ExtractQueryRef | undefined,
    query: ExtractQueryRef,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: casePk(caseId), sk: 'META' },
          UpdateExpression: 'SET #q = :q',
          ConditionExpression: previous
            ? '#status = :applying AND #q.queryId = :previous'
            : '#status = :applying AND attribute_not_exists(#q)',
          ExpressionAttributeNames: { '#status': 'status', '#q': 'extractQuery' },
          ExpressionAttributeValues: {
            ':applying': 'applying',
            ':q': query,
            ...(previous ? { ':previous': previous.queryId } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Ids of cases whose holds or extracts may still exist: every status but `released`. */
  async openCaseIds(): Promise<Set<string>> {
    return new Set(
      (await this.listCases()).filter((c) => c.status !== 'released').map((c) => c.caseId),
    );
  }

  async listCases(): Promise<CaseRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: registryIndexes.cases,
      KeyConditionExpression: 'kind = :case',
      ExpressionAttributeValues: { ':case': 'case' },
    });
    return items.map(caseOf);
  }

  /** Every item a query finds, through the SDK's paginator. */
  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery({ client: this.db }, input))
      items.push(...(page.Items ?? []));
    return items;
  }

  /**
   * Writes `pending` memberships of a case, each batch in one transaction
   * with the check that the case is still in one of `statuses` (`applying`
   * for an apply; sealing's standing holds also take `active`): once a
   * release has moved the case on, no new membership of it can appear (the
   * release lists memberships once the status has changed). Rewriting an
   * identical pending membership changes nothing.
   */
  async putPendingMemberships(
    caseId: string,
    versions: readonly ObjectVersion[],
    statuses: readonly CaseStatus[] = ['applying'],
  ): Promise<void> {
    for (let i = 0; i < versions.length; i += TRANSACT_PUTS_MAX) {
      const puts = versions.slice(i, i + TRANSACT_PUTS_MAX).map((o) => ({
        Put: {
          TableName: this.tableName,
          Item: membershipItem({ ...o, caseId, state: 'pending' }),
        },
      }));
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: this.tableName,
                  Key: { pk: casePk(caseId), sk: 'META' },
                  ConditionExpression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: Object.fromEntries(
                    statuses.map((status, i) => [`:s${i}`, status]),
                  ),
                },
              },
              ...puts,
            ],
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
        const reasons = (error as { CancellationReasons?: { Code?: string }[] })
          .CancellationReasons;
        if (reasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
        throw new RejectedRequest(
          `case ${caseId} is no longer ${statuses.join(' or ')} (a release has begun); nothing more is held for it`,
        );
      }
    }
  }

  /** `pending` -> `held` once the flag is settled; false when a release has already taken it. */
  async markHeld(caseId: string, o: ObjectVersion): Promise<boolean> {
    return this.setState(caseId, o, 'held', 'attribute_exists(pk) AND #state = :pending');
  }

  /** The release has begun for this version: the membership stops covering it. */
  async markReleasing(caseId: string, o: ObjectVersion): Promise<boolean> {
    return this.setState(caseId, o, 'releasing', 'attribute_exists(pk)');
  }

  private async setState(
    caseId: string,
    o: ObjectVersion,
    state: Membership['state'],
    condition: string,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `OBJ#${objectRef(o)}`, sk: casePk(caseId) },
          UpdateExpression: 'SET #state = :state',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':state': state,
            ...(condition.includes(':pending') ? { ':pending': 'pending' } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteMembership(caseId: string, o: ObjectVersion): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: `OBJ#${objectRef(o)}`, sk: casePk(caseId) },
      }),
    );
  }

  /**
   * Ids of the cases covering this version (memberships `pending` or `held`),
   * read with a strongly consistent Query: the read that settles the flag.
   */
  async coveringCases(o: Pick<ObjectVersion, 'bucket' | 'key' | 'versionId'>): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `OBJ#${objectRef(o)}` },
      ConsistentRead: true,
    });
    return items.filter((i) => i.state !== 'releasing').map((i) => i.caseId as string);
  }

  /** Every membership of the case (any state), for totals computed, never incremented. */
  async memberships(caseId: string): Promise<Membership[]> {
    return (await this.queryAll({
      TableName: this.tableName,
      IndexName: registryIndexes.byCase,
      KeyConditionExpression: 'caseId = :id',
      ExpressionAttributeValues: { ':id': caseId },
    })) as unknown as Membership[];
  }

  /**
   * Appends an audit entry once: the event name is the key, so a retried step
   * writes nothing new. The functions may only PutItem on this table (IAM
   * denies UpdateItem and DeleteItem); `attribute_not_exists` keeps them from
   * replacing an entry.
   */
  async audit(entry: AuditEntry): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.auditTableName,
          Item: entry,
          ConditionExpression: 'attribute_not_exists(caseId)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async auditTrail(caseId: string): Promise<AuditEntry[]> {
    const entries = (await this.queryAll({
      TableName: this.auditTableName,
      KeyConditionExpression: 'caseId = :id',
      ExpressionAttributeValues: { ':id': caseId },
      ConsistentRead: true,
    })) as unknown as AuditEntry[];
    // Steps of one invocation can share a millisecond: break ties by the order steps happen in.
    const rank = (e: AuditEntry) => AUDIT_STEPS.indexOf(e.event.split(':')[0] as AuditStep);
    return entries.sort((a, b) => a.at.localeCompare(b.at) || rank(a) - rank(b));
  }
}
