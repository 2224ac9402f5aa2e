/**
 * The robot platforms by kind, and the composition of a message from notices.
 */
import type { RobotConfig, RobotKind } from '../config.js';
import type { Notice } from '../notice.js';
import { DEFAULT_TEMPLATES, digestTitle, fillTemplate, placeholderValues } from '../template.js';
import { dingtalk } from './dingtalk.js';
import { feishu } from './feishu.js';
import type { Message, Platform } from './platform.js';
import { wecom } from './wecom.js';

export type { Message, Outcome, Platform, RobotRequest } from './platform.js';

export const PLATFORMS: Readonly<Record<RobotKind, Platform>> = { wecom, dingtalk, feishu };

/**
 * Composes the message for one or more notices. One notice uses the robot's title and text
 * template; several make a digest whose entries are the text template, one after another.
 */
export function composeMessage(robot: RobotConfig, notices: readonly Notice[]): Message {
  const platform = PLATFORMS[robot.kind];
  const defaults = DEFAULT_TEMPLATES[robot.lang];
  const titleTemplate = robot.template.title ?? defaults.title;
  const textTemplate = robot.template.text ?? defaults.text;
  const values = notices.map((notice) => placeholderValues(notice, robot.lang, platform.escape));

  const [only] = values;
  if (values.length === 1 && only !== undefined) {
    return { title: fillTemplate(titleTemplate, only), text: fillTemplate(textTemplate, only) };
  }
  return {
    title: digestTitle(values.length, robot.lang),
    text: values.map((value) => fillTemplate(textTemplate, value)).join('\n\n'),
  };
}
