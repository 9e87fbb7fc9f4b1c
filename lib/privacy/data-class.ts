import { IConstruct } from 'constructs';
import { Tags } from 'aws-cdk-lib';
import { DATA_CLASS_TAG, DataClass } from '../../core/audit/data-class';

export type { DataClass } from '../../core/audit/data-class';

/** Marks a resource with the class of data it can hold (core/audit/data-class.ts). */
export function classifyDataAt(resource: IConstruct, dataClass: DataClass): void {
  Tags.of(resource).add(DATA_CLASS_TAG, dataClass);
}
