import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Acknowledging cdk-nag findings through CDK's own `Validations.of(...).acknowledge` (cdk-nag v3,
 * see its README "Acknowledging a Rule"), so `lib/` needs no dependency on cdk-nag itself.
 */

/** A policy statement that deliberately holds wildcards, and why. */
export interface WildcardStatement {
  readonly statement: iam.PolicyStatement;
  /** Why the wildcard cannot be narrowed; becomes the acknowledgement reason. */
  readonly reason: string;
}

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names `AwsSolutions-IAM5` findings:
 * `Fn::Join` joined, `Ref` as `<Name>`, `Fn::GetAtt` as `<LogicalId.Attribute>`.
 */
export function flattenForFinding(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'] as [string, unknown[]] | undefined;
    if (join !== undefined) return join[1].map(flattenForFinding).join(join[0]);
    const getAtt = node['Fn::GetAtt'] as [unknown, unknown] | undefined;
    if (getAtt !== undefined) return `<${flattenForFinding(getAtt[0])}.${flattenForFinding(getAtt[1])}>`;
    if (node.Ref !== undefined) return `<${flattenForFinding(node.Ref)}>`;
    if (node['Fn::Sub'] !== undefined) return flattenForFinding(node['Fn::Sub']);
  }
  return JSON.stringify(value);
}

/**
 * The `AwsSolutions-IAM5` finding ids (`Action::<action>` / `Resource::<flattened ARN>`) that a
 * statement raises: every action or resource containing `*`.
 */
export function wildcardFindings(scope: IConstruct, statement: iam.PolicyStatement): string[] {
  const json = Stack.of(scope).resolve(statement.toStatementJson()) as { Action?: unknown; Resource?: unknown };
  const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const findings = [
    ...list(json.Action).map((a) => `Action::${String(a)}`),
    ...list(json.Resource).map((r) => `Resource::${flattenForFinding(r)}`),
  ];
  return findings.filter((f) => f.includes('*'));
}

/**
 * Acknowledges, on `scope` (the policy construct), each `AwsSolutions-IAM5` finding the statements
 * raise, with the reasons of all statements that raise it.
 *
 * @throws Error when a statement with an empty reason raises a finding.
 */
export function acknowledgeWildcards(scope: IConstruct, statements: readonly WildcardStatement[]): void {
  const reasons = new Map<string, string[]>();
  for (const { statement, reason } of statements) {
    for (const finding of wildcardFindings(scope, statement)) {
      if (reason.trim() === '') {
        // A wildcard nobody justified is a bug in the policy, not something to acknowledge.
        throw new Error(`Policy statement ${statement.sid ?? '(no sid)'} grants ${finding} without a stated reason`);
      }
      reasons.set(finding, [...(reasons.get(finding) ?? []), reason]);
    }
  }
  for (const [finding, why] of reasons) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: why.join(' ') });
  }
}
