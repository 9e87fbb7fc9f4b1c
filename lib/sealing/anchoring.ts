import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { StageConfig } from '../../core/config/stage-config';
import { arns, witnessRoleName } from '../../core/naming';
import { tsaNamesVariable } from '../../core/env/sealing';
import { Binding, binding } from '../compute/function-environment';

/** The repository's pinned TSAs, bundled with the digest function. */
const TSA_DIR = join(__dirname, '..', '..', 'trust', 'tsa');

/** The stage's `anchoring.tsas` as TSA_NAMES, checked against the bundled `trust/tsa/tsas.json`. */
export function stageTsaNames(config: Pick<StageConfig, 'anchoring'>, tsaDir = TSA_DIR): string {
  const path = join(tsaDir, 'tsas.json');
  return tsaNamesVariable(config.anchoring.tsas, readFileSync(path, 'utf8'), path);
}

/** The witness role in the other account, and the grant to assume it (only it). */
export function witnessRoleBinding(
  stage: string,
  witness: { account: string },
  partition: string,
): Binding<'role'> {
  const arn = arns.role({ partition, account: witness.account }, witnessRoleName(stage));
  return binding('role', arn, (role) =>
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeAnchorWitnessRole',
        actions: ['sts:AssumeRole'],
        resources: [arn],
      }),
    ),
  );
}
