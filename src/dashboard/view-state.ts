/**
 * Filter and sort state of the table, kept in the query string so a link shares the view.
 */
import type { TaskView } from '../events/task-view.js';

export const SORT_KEYS = [
  'id',
  'name',
  'owner',
  'agency',
  'status',
  'progress',
  'cost',
  'renderTime',
  'created',
  'started',
  'finished',
] as const;

export type SortKey = (typeof SORT_KEYS)[number];

export interface ViewState {
  owner: number | undefined;
  agency: number | undefined;
  status: number | undefined;
  search: string;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  owner: undefined,
  agency: undefined,
  status: undefined,
  search: '',
  sort: 'id',
  descending: true,
};

function readId(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** Reads the view from a query string; invalid values fall back to the defaults. */
export function readViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const sort = params.get('sort');
  return {
    owner: readId(params, 'owner'),
    agency: readId(params, 'agency'),
    status: readId(params, 'status'),
    search: params.get('q') ?? '',
    sort: SORT_KEYS.find((key) => key === sort) ?? DEFAULT_VIEW.sort,
    descending: params.get('order') !== 'asc',
  };
}

/** Writes the view as a query string, leaving out default values; '' when all are defaults. */
export function writeViewState(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.owner !== undefined) params.set('owner', String(view.owner));
  if (view.agency !== undefined) params.set('agency', String(view.agency));
  if (view.status !== undefined) params.set('status', String(view.status));
  if (view.search !== '') params.set('q', view.search);
  if (view.sort !== DEFAULT_VIEW.sort) params.set('sort', view.sort);
  if (!view.descending) params.set('order', 'asc');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Reports whether a task passes the filters. The name search ignores case. */
export function matchesView(view: ViewState, task: TaskView): boolean {
  if (view.owner !== undefined && task.owner !== view.owner) return false;
  if (view.agency !== undefined && task.agencyUserId !== view.agency) return false;
  if (view.status !== undefined && task.status !== view.status) return false;
  if (view.search !== '' && !task.name.toLowerCase().includes(view.search.toLowerCase())) {
    return false;
  }
  return true;
}

function sortValue(key: SortKey, task: TaskView): number | string {
  switch (key) {
    case 'id':
      return task.id;
    case 'name':
      return task.name;
    case 'owner':
      return task.owner;
    case 'agency':
      return task.agencyUserId;
    case 'status':
      return task.status;
    case 'progress':
      return task.frameCount > 0 ? task.frameCompleted / task.frameCount : 0;
    case 'cost':
      return task.gross + task.lightJobGross;
    case 'renderTime':
      return task.renderTimeThreadTotal;
    case 'created':
      return task.createTime;
    case 'started':
      return task.startTime;
    case 'finished':
      return task.completedTime;
  }
}

/** Compares two tasks in the view's order; ties fall back to the id, newest first. */
export function compareTasks(view: ViewState, a: TaskView, b: TaskView): number {
  const left = sortValue(view.sort, a);
  const right = sortValue(view.sort, b);
  let result =
    typeof left === 'string' && typeof right === 'string'
      ? left.localeCompare(right)
      : Number(left) - Number(right);
  if (view.descending) result = -result;
  return result !== 0 ? result : b.id - a.id;
}
