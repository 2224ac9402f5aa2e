/**
 * The filter inputs and sortable column headers, bound to a ViewState. Every change calls
 * `onChange` with a new state and the control that changed it; the caller writes it to the URL
 * and the table.
 */
import { byId, element } from './dom.js';
import { type Lang, statusText } from './i18n.js';
import { DEFAULT_VIEW, SORT_KEYS, type SortKey, type ViewState } from './view-state.js';

const STATUS_CODES = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** The control behind a view change: one filter input, a column header, or the reset button. */
export type ViewChangeSource = 'owner' | 'agency' | 'status' | 'search' | 'sort' | 'reset';

/** Shows a view that came from elsewhere (the URL after back or forward) without `onChange`. */
export type ShowView = (view: ViewState) => void;

function readId(input: HTMLInputElement): number | undefined {
  const value = input.value.trim();
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

export function bindViewControls(
  initial: ViewState,
  lang: Lang,
  onChange: (view: ViewState, source: ViewChangeSource) => void,
): ShowView {
  let view = initial;
  const owner = byId<HTMLInputElement>('filter-owner');
  const agency = byId<HTMLInputElement>('filter-agency');
  const status = byId<HTMLSelectElement>('filter-status');
  const search = byId<HTMLInputElement>('filter-search');

  for (const code of STATUS_CODES) {
    const option = element('option', '', statusText(lang, code));
    option.value = String(code);
    option.dataset.status = String(code);
    status.append(option);
  }

  const show = (): void => {
    owner.value = view.owner === undefined ? '' : String(view.owner);
    agency.value = view.agency === undefined ? '' : String(view.agency);
    status.value = view.status === undefined ? '' : String(view.status);
    search.value = view.search;
    for (const header of document.querySelectorAll<HTMLElement>('th[data-sort]')) {
      const sorted = header.dataset.sort === view.sort;
      const order = view.descending ? 'descending' : 'ascending';
      header.setAttribute('aria-sort', sorted ? order : 'none');
    }
  };

  const change = (next: ViewState, source: ViewChangeSource): void => {
    view = next;
    show();
    onChange(view, source);
  };

  const readFilters = (source: ViewChangeSource): void => {
    change(
      {
        ...view,
        owner: readId(owner),
        agency: readId(agency),
        status: status.value === '' ? undefined : Number(status.value),
        search: search.value,
      },
      source,
    );
  };
  owner.addEventListener('input', () => readFilters('owner'));
  agency.addEventListener('input', () => readFilters('agency'));
  search.addEventListener('input', () => readFilters('search'));
  status.addEventListener('change', () => readFilters('status'));

  byId('filter-reset').addEventListener('click', () => change({ ...DEFAULT_VIEW }, 'reset'));

  for (const header of document.querySelectorAll<HTMLElement>('th[data-sort]')) {
    const key = SORT_KEYS.find((name) => name === header.dataset.sort) as SortKey;
    header.querySelector('button')?.addEventListener('click', () => {
      const descending = view.sort === key ? !view.descending : key !== 'name';
      change({ ...view, sort: key, descending }, 'sort');
    });
  }
  show();

  return (next) => {
    view = next;
    show();
  };
}
