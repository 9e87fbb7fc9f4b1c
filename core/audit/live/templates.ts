import { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { CfnTemplate } from '../inventory';
import { resolve } from '../../template/intrinsics';
import { isMissing } from './absent';
import { readBucketAsTemplate, readBucketPolicy } from './bucket';
import { readLogGroupAsTemplate } from './log-group';

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON */

export interface LiveClients {
  readonly s3: S3Client;
  readonly logs: CloudWatchLogsClient;
  readonly athena: AthenaClient;
}

export interface LiveTarget {
  readonly accountId: string;
  readonly region: string;
}

/** The live account rendered in template shape, plus what the template names but the account lacks. */
export interface LiveView {
  readonly templates: Record<string, CfnTemplate>;
  readonly missing: string[];
}

const nameOf = (value: unknown, stackName: string, target: LiveTarget): string =>
  String(resolve(value, { ...target, stackName, resources: new Map(), exports: new Map() }));

async function liveWorkGroup(
  athena: AthenaClient,
  name: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { WorkGroup } = await athena.send(new GetWorkGroupCommand({ WorkGroup: name }));
    const c = WorkGroup?.Configuration;
    return {
      Name: name,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: c?.EnforceWorkGroupConfiguration,
        BytesScannedCutoffPerQuery: c?.BytesScannedCutoffPerQuery,
        ResultConfiguration: {
          OutputLocation: c?.ResultConfiguration?.OutputLocation,
          EncryptionConfiguration: c?.ResultConfiguration?.EncryptionConfiguration,
        },
      },
    };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Reads, with read-only calls, every bucket, bucket policy, log group and
 * Athena workgroup the templates declare, and returns them as template
 * resources, so `auditStage` judges the live account with the same rules as
 * the synthesized stack. IAM is judged on the templates themselves.
 */
export async function readLiveTemplates(
  templates: Record<string, CfnTemplate>,
  clients: LiveClients,
  target: LiveTarget,
): Promise<LiveView> {
  const live: Record<string, CfnTemplate> = {};
  const missing: string[] = [];
  for (const [stackName, template] of Object.entries(templates)) {
    const resources: NonNullable<CfnTemplate['Resources']> = {};
    const bucketNames = new Map<string, string>();
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      const p = (r.Properties ?? {}) as any;
      if (r.Type === 'AWS::S3::Bucket' && p.BucketName)
        bucketNames.set(id, nameOf(p.BucketName, stackName, target));
    }
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      const p = (r.Properties ?? {}) as any;
      try {
        if (r.Type === 'AWS::S3::Bucket' && bucketNames.has(id)) {
          resources[id] = {
            Type: r.Type,
            Properties: await readBucketAsTemplate(clients.s3, bucketNames.get(id)!),
          };
        } else if (r.Type === 'AWS::S3::BucketPolicy' && bucketNames.has(p.Bucket?.Ref)) {
          const document = await readBucketPolicy(clients.s3, bucketNames.get(p.Bucket.Ref)!);
          resources[id] = {
            Type: r.Type,
            Properties: { Bucket: p.Bucket, PolicyDocument: document },
          };
        } else if (r.Type === 'AWS::Logs::LogGroup' && p.LogGroupName) {
          const name = nameOf(p.LogGroupName, stackName, target);
          const group = await readLogGroupAsTemplate(clients.logs, name);
          if (group) resources[id] = { Type: r.Type, Properties: group };
          else missing.push(`${stackName}/${id}: log group ${name} not found`);
        } else if (r.Type === 'AWS::Athena::WorkGroup' && p.Name) {
          const name = nameOf(p.Name, stackName, target);
          const group = await liveWorkGroup(clients.athena, name);
          if (group) resources[id] = { Type: r.Type, Properties: group };
          else missing.push(`${stackName}/${id}: workgroup ${name} not found`);
        } else if (r.Type.startsWith('AWS::IAM::')) {
          resources[id] = r;
        }
      } catch (error) {
        if (!isMissing(error)) throw error;
        missing.push(`${stackName}/${id}: ${r.Type} not found (${(error as Error).name})`);
      }
    }
    live[stackName] = { Resources: resources };
  }
  return { templates: live, missing };
}
