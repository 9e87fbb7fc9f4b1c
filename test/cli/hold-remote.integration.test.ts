import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { standInHoldEnvironment } from '../../cli/commands/hold/transport';
import {
  ArchivedVersion,
  HoldFixture,
  archiveLegalHold,
  loadHoldFixture,
  putVersion,
} from '../holds/hold-fixture';
import {
  LambdaInvokeStandIn,
  StandInFunction,
  functionsFromTemplate,
  startLambdaInvokeStandIn,
} from '../support/lambda-invoke-stand-in';
import { logvault } from '../support/cli';
import { LOCAL_REGION } from '../support/standins';
import { synthStage } from '../support/synth';

/**
 * `logvault hold` as on-call runs it, without --local: the real CLI (one run
 * spawned as bin/logvault, the rest through its entry in this process)
 * invokes logvault-dev-hold-* through the Lambda API, answered by a stand-in
 * that runs the real handlers with the compute stack's configuration against
 * the dev data stack on moto.
 */
describe('logvault hold through Lambda Invoke', () => {
  const root = join(__dirname, '../..');
  const fn = (op: string) => `logvault-dev-hold-${op}`;
  let f: HoldFixture;
  let functions: StandInFunction[];
  let lambda: LambdaInvokeStandIn;
  let inScope: { key: string; versionId: string }[];
  let outOfScope: { key: string; versionId: string };

  const argvOf = (args: string[]) => ['hold', ...args, '--requester', 'oncall-bob'];
  /** On-call's environment: Lambda answered by the stand-in, and nothing else. */
  const onCall = () => ({
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    // Nothing listens here: the remote path must reach AWS through Lambda Invoke alone.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  });
  /** Runs bin/logvault as a process; `invoked` is the function names the stand-in received meanwhile. */
  const spawned = (...args: string[]) => {
    const before = lambda.invoked.length;
    return new Promise<{ code: number; stdout: string; stderr: string; invoked: string[] }>(
      (resolve) =>
        execFile(
          join(root, 'bin/logvault'),
          argvOf(args),
          { cwd: root, env: { ...process.env, ...onCall() } },
          (error, stdout, stderr) =>
            resolve({
              code: error ? Number(error.code) : 0,
              stdout,
              stderr,
              invoked: lambda.invoked.slice(before),
            }),
        ),
    );
  };
  /**
   * The same run through the CLI's entry in this process (test/support/cli.ts),
   * in on-call's environment for its duration, without a process's start-up.
   */
  const run = async (...args: string[]) => {
    const before = lambda.invoked.length;
    const r = await logvault(argvOf(args), onCall());
    return { ...r, invoked: lambda.invoked.slice(before) };
  };
  const legalHold = (o: ArchivedVersion) => archiveLegalHold(f, o);
  const apply = (caseId: string, from: string) => [
    'apply',
    caseId,
    '--dataset',
    'acme',
    '--from',
    from,
    '--to',
    '2026-11-21T10:00:00Z',
    '--reason',
    'court order',
    '--ticket',
    'LEGAL-12',
  ];

  beforeAll(async () => {
    f = await loadHoldFixture();
    const put = async (key: string) => ({
      key,
      versionId: await putVersion(f, f.archive, key, '{"a":1}\n'),
    });
    // Two versions of one key: a hold covers every version, not only the latest.
    inScope = [
      await put('acme/2026/11/21/08/obj'),
      await put('acme/2026/11/21/08/obj'),
      await put('acme/2026/11/21/09/obj'),
    ];
    outOfScope = await put('acme/2026/11/21/10/obj');
    functions = functionsFromTemplate(
      synthStage('dev').templates['Logvault-dev-Compute']!,
      /^logvault-dev-(hold-\w+)$/,
      standInHoldEnvironment('dev', LOCAL_REGION, f.accountId),
    );
    lambda = await startLambdaInvokeStandIn({
      region: LOCAL_REGION,
      accountId: f.accountId,
      functions,
    });
  }, 120_000);
  afterAll(() => lambda?.close());

  it('deploys the three hold functions as the compute stack configures them', () => {
    expect(functions.map((x) => [x.name, x.timeoutSeconds])).toEqual([
      [fn('apply'), 900],
      [fn('release'), 900],
      [fn('status'), 60],
    ]);
    expect(functions[0]!.environment).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'logvault-hold-apply',
      HOLD_REGISTRY_TABLE: `logvault-dev-${f.accountId}-holds`,
      ARCHIVE_BUCKET: f.archive,
      INVESTIGATIONS_BUCKET: f.investigations,
    });
  });

  it('dry run counts what it would hold and holds nothing', async () => {
    const r = await run(...apply('REMOTE-1', '2026-11-21T08:00:00Z'), '--dry-run', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'dry-run', objectCount: 3, bytes: 24 });
    expect(r.invoked).toEqual([fn('apply')]);
    for (const o of inScope) expect(await legalHold(o)).not.toBe('ON');
  });

  it('applies: every in-scope version held, nothing else', async () => {
    // The one spawned run: bin/logvault itself reaches the function.
    const r = await spawned(...apply('REMOTE-1', '2026-11-21T08:00:00Z'));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/REMOTE-1: apply complete: 3 object versions, 24 B/);
    expect(r.invoked).toEqual([fn('apply')]);
    for (const o of inScope) expect(await legalHold(o)).toBe('ON');
    expect(await legalHold(outOfScope)).not.toBe('ON');
    // The function ran in its own environment: its service name, the case as correlation id.
    expect(lambda.log(fn('apply'))).toMatch(
      /"service":"logvault-hold-apply".*"correlation_id":"REMOTE-1"/,
    );
  });

  it('shows the audit trail and lists the case', async () => {
    const shown = await run('show', 'REMOTE-1', '--json');
    expect(shown.code).toBe(0);
    expect(shown.invoked).toEqual([fn('status')]);
    const view = JSON.parse(shown.stdout);
    expect(view.case).toMatchObject({ caseId: 'REMOTE-1', status: 'active', objectCount: 3 });
    expect(view.audit.map((e: { event: string; actor: string }) => [e.event, e.actor])).toEqual([
      ['apply-started', 'oncall-bob'],
      ['objects-held:1', 'oncall-bob'],
      ['apply-completed', 'oncall-bob'],
    ]);
    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/REMOTE-1\s+acme\s+active\s+3/);
  });

  it('exits 1 with the handler reason when the function rejects the request', async () => {
    const r = await run(...apply('REMOTE-2', 'yesterday'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rejected: invalid request: .*from.*must be an ISO 8601 UTC instant/);
    expect(r.invoked).toEqual([fn('apply')]);
  });

  it('releases: every hold lifted', async () => {
    const r = await run('release', 'REMOTE-1', '--reason', 'case closed');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/REMOTE-1: release complete/);
    expect(r.invoked).toEqual([fn('release')]);
    for (const o of inScope) expect(await legalHold(o)).toBe('OFF');
  });

  it('waits for the S3 Batch Operations job of a scope above the threshold', async () => {
    for (const op of ['apply', 'release']) {
      const deployed = functions.find((x) => x.name === fn(op))!;
      lambda.deploy({
        ...deployed,
        environment: { ...deployed.environment, HOLD_LARGE_SCOPE_THRESHOLD: '2' },
      });
    }
    const applied = await run(...apply('REMOTE-3', '2026-11-21T08:00:00Z'));
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(
      /S3 Batch Operations job \S+ sets legal hold ON on 3 object versions/,
    );
    expect(applied.stdout).toMatch(/REMOTE-3: apply complete: 3 object versions, 24 B/);
    // One invocation submits the job, a later one collects its report.
    expect(applied.invoked.length).toBeGreaterThanOrEqual(2);
    expect(new Set(applied.invoked)).toEqual(new Set([fn('apply')]));
    for (const o of inScope) expect(await legalHold(o)).toBe('ON');

    const released = await run('release', 'REMOTE-3', '--reason', 'case closed');
    expect(released.code).toBe(0);
    expect(released.stderr).toMatch(/sets legal hold OFF on 3 object versions/);
    expect(released.stdout).toMatch(/REMOTE-3: release complete/);
    for (const o of inScope) expect(await legalHold(o)).toBe('OFF');
  });

  it('exits 3 naming the function when it does not exist', async () => {
    lambda.remove(fn('status'));
    const r = await run('list');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `Function not found: arn:aws:lambda:${LOCAL_REGION}:${f.accountId}:function:${fn('status')}`,
      ),
    );
    expect(r.invoked).toEqual([fn('status')]);
  });

  it('exits 3 with the error when the function fails', async () => {
    const status = functions.find((x) => x.name === fn('status'))!;
    lambda.deploy({
      ...status,
      environment: { ...status.environment, HOLD_REGISTRY_TABLE: 'no-such-table' },
    });
    const r = await run('show', 'REMOTE-1');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /logvault-dev-hold-status failed \(ResourceNotFoundException\): Requested resource not found/,
    );
    expect(r.invoked).toEqual([fn('status')]);
  });
});
