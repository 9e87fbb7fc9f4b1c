import {
  BatchWriteCommand,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  QueryCommandInput,
  UpdateCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, CaseStatus } from './case';
import { registryIndexes } from '../naming';

/**
 * The hold registry (one DynamoDB table) and the append-only audit trail (a
 * second table). Registry items:
 * - case:       pk `CASE#<id>`, sk `META`, kind `case` (GSI `cases` lists them by creation)
 * - membership: pk `OBJ#<bucket>/<key>#<version>`, sk `CASE#<id>`, caseId, state
 *   (GSI `byCase` lists a case's objects; a strongly consistent Query on pk
 *   lists every case covering one version, which release needs to be exact).
 * Legal hold is one flag per version: the memberships are the per-case count.
 */

export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
}

export interface Membership extends ObjectVersion {
  readonly caseId: string;
  /** `pending` until the hold and tag are on; reruns redo pending ones only. */
  readonly state: 'pending' | 'held';
}

/** Every audit step, in the order a case goes through them. */
export const AUDIT_STEPS = [
  'apply-started',
  'apply-job-submitted',
  'apply-job-completed',
  'apply-completed',
  'release-started',
  'release-job-submitted',
  'release-job-completed',
  'extracts-deleted',
  'release-completed',
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

/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_MAX = 25;

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

  async putMembership(m: Membership): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: membershipItem(m),
      }),
    );
  }

  /**
   * Writes many memberships, 25 per request, resending what DynamoDB left
   * unprocessed; rewriting an identical membership changes nothing.
   */
  async putMemberships(memberships: readonly Membership[]): Promise<void> {
    for (let i = 0; i < memberships.length; i += BATCH_WRITE_MAX) {
      let requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string] | undefined =
        memberships.slice(i, i + BATCH_WRITE_MAX).map((m) => ({
          PutRequest: { Item: membershipItem(m) },
        }));
      for (let attempt = 0; requests && requests.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((r) => setTimeout(r, Math.min(2 ** attempt * 50, 2_000)));
        const { UnprocessedItems }: BatchWriteCommandOutput = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = UnprocessedItems?.[this.tableName];
      }
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

  /** Ids of every case (other than `exceptCaseId`) covering this version, read consistently. */
  async otherCasesCovering(o: ObjectVersion, exceptCaseId: string): Promise<string[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `OBJ#${objectRef(o)}` },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map((i) => i.caseId as string).filter((id) => id !== exceptCaseId);
  }

  /** Every membership of the case (held and pending), for totals computed, never incremented. */
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
