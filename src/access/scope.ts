/**
 * A subscriber's scope: which tasks it may see. A task is visible to an admin, or when its owner
 * is one of the scope's owners, or its agency one of the scope's agencies.
 */
import { RelayError } from '../errors.js';

export interface Scope {
  readonly admin: boolean;
  readonly owners: ReadonlySet<number>;
  readonly agencies: ReadonlySet<number>;
}

/** The scope of anonymous mode: everything. */
export const FULL_SCOPE: Scope = Object.freeze({
  admin: true,
  owners: new Set<number>(),
  agencies: new Set<number>(),
});

/** Reports whether a task with this owner and agency is inside the scope. */
export function scopeAllows(scope: Scope, owner: number, agency: number): boolean {
  return scope.admin || scope.owners.has(owner) || scope.agencies.has(agency);
}

/**
 * Rejects a filter that requests owners or agencies the scope cannot grant. An owner is outside
 * the scope when the scope names owners only and not this one; an agency likewise. A scope with
 * agencies may still narrow to an owner, whose tasks are then shown only inside those agencies.
 *
 * @throws RelayError `RS_ERR_FORBIDDEN` naming the first value outside the scope
 */
export function assertWithinScope(
  scope: Scope,
  requested: { readonly owners?: ReadonlySet<number>; readonly agencies?: ReadonlySet<number> },
): void {
  if (scope.admin) return;

  if (scope.agencies.size === 0) {
    const owner = [...(requested.owners ?? [])].find((id) => !scope.owners.has(id));
    if (owner !== undefined)
      throw new RelayError('RS_ERR_FORBIDDEN', { field: 'owner', value: owner });
  }

  if (scope.owners.size === 0) {
    const agency = [...(requested.agencies ?? [])].find((id) => !scope.agencies.has(id));
    if (agency !== undefined)
      throw new RelayError('RS_ERR_FORBIDDEN', { field: 'agency', value: agency });
  }
}

/** Converts the scope to the JSON sent in the `welcome` frame. */
export function scopeToJson(scope: Scope): {
  admin: boolean;
  owners: number[];
  agencies: number[];
} {
  return { admin: scope.admin, owners: [...scope.owners], agencies: [...scope.agencies] };
}
