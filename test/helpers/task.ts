/**
 * A canonical task for unit tests that work below the wire format.
 */
import type { Task } from '../../src/protocol/task-schema.js';

/** Returns a rendering video task 67721 of owner 1601 in agency 3; `fields` replace any field. */
export function canonicalTask(fields: Partial<Task> = {}): Task {
  return {
    id: 67721,
    name: 'box',
    owner: 1601,
    ownerName: 'u1',
    agencyUserId: 3,
    createTime: 1574318124,
    type: 0,
    status: 1,
    renderOutputFiles: [],
    frameCount: 10,
    gross: 0,
    frameCompleted: 0,
    startTime: 1574318212,
    completedTime: 0,
    machineLimit: 96,
    services: 4,
    renderTimeThreadTotal: 0,
    lightJobGross: 0,
    lightJobRenderTimeThread: 0,
    renderZipFile: '/a.zip',
    camera: 'Camera01',
    action: 1,
    extra: {},
    ...fields,
  };
}
