import { describe, expect, it } from 'vitest';
import { applyKeyStyle } from '../../src/simulate/key-style.js';
import { createRandom } from '../../src/simulate/random.js';
import { generateTaskLife } from '../../src/simulate/task-life.js';

const GO_FIELDS = [
  'ID',
  'Name',
  'Owner',
  'OwnerName',
  'AgencyUserID',
  'CreateTime',
  'Type',
  'Status',
  'RenderOutputFiles',
  'FrameCount',
  'Gross',
  'FrameCompleted',
  'StartTime',
  'CompletedTime',
  'MachineLimit',
  'Services',
  'RenderTimeThreadTotal',
  'LightJobGross',
  'LightJobRenderTimeThread',
  'RenderZipFile',
  'Camera',
  'Action',
];

function renderedBody(): Record<string, unknown> {
  const life = generateTaskLife({
    id: 67721,
    owner: 1601,
    ownerName: 'test2',
    agencyUserId: 3,
    type: 1,
    createTime: 1574318124,
    random: createRandom(11),
  });
  const withFiles = life.find((callback) => callback.body.RenderOutputFiles.length > 0);
  if (withFiles === undefined) throw new Error('seed 11 renders no file');
  return withFiles.body;
}

describe('key-style', () => {
  it('lower-cases keys in lower style', () => {
    const styled = applyKeyStyle(renderedBody(), 'lower');
    const expected = GO_FIELDS.map((field) =>
      field === 'LightJobRenderTimeThread' ? 'lightjobtimethreadtotal' : field.toLowerCase(),
    );

    expect(Object.keys(styled)).toEqual(expected);
  });

  it('uses the example spelling for light job', () => {
    const body = renderedBody();
    const styled = applyKeyStyle(body, 'lower');

    expect(styled.lightjobtimethreadtotal).toBe(body.LightJobRenderTimeThread);
    expect(styled).not.toHaveProperty('lightjobrendertimethread');
  });

  it('keeps Go names in go style', () => {
    expect(Object.keys(applyKeyStyle(renderedBody(), 'go'))).toEqual(GO_FIELDS);
  });

  it('styles output file keys', () => {
    const body = renderedBody();
    const lower = applyKeyStyle(body, 'lower').renderoutputfiles as Record<string, unknown>[];
    const go = applyKeyStyle(body, 'go').RenderOutputFiles as Record<string, unknown>[];

    expect(lower.length).toBeGreaterThan(0);
    for (const file of lower) expect(Object.keys(file)).toEqual(['name', 'size', 'time', 'isdir']);
    for (const file of go) expect(Object.keys(file)).toEqual(['Name', 'Size', 'Time', 'IsDir']);
  });

  it('keeps values unchanged', () => {
    const body = renderedBody();
    const lower = applyKeyStyle(body, 'lower');

    expect(lower.id).toBe(body.ID);
    expect(lower.name).toBe(body.Name);
    expect(lower.agencyuserid).toBe(body.AgencyUserID);
    expect(JSON.stringify(applyKeyStyle(body, 'go'))).not.toBe(JSON.stringify(lower));
  });

  it('leaves the input unchanged', () => {
    const body = renderedBody();
    const before = JSON.stringify(body);
    applyKeyStyle(body, 'lower');
    applyKeyStyle(body, 'go');

    expect(JSON.stringify(body)).toBe(before);
  });

  it('keeps prototype-like keys as data', () => {
    const body = JSON.parse('{"__proto__": {"polluted": 1}, "Constructor": 2}') as Record<
      string,
      unknown
    >;
    const styled = applyKeyStyle(body, 'lower');

    expect(Object.hasOwn(styled, '__proto__')).toBe(true);
    expect(styled.constructor).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
