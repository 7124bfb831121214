// The triage protocol run in the browser for the call-taker's preview, with the server's
// rule: questions show when their conditions hold; the first rule whose conditions all hold
// fires, but only once every rule before it is certainly false. The server decides.
import type { Condition, Protocol, Rule } from "./gen/jedel/intake/v1/intake_pb.js";

export type Answers = Record<string, string>;

function holds(condition: Condition, answers: Answers): boolean | undefined {
  const answer = answers[condition.questionId];
  if (answer === undefined) return undefined;
  return condition.answerIds.includes(answer);
}

export function visibleQuestions(protocol: Protocol, answers: Answers) {
  return protocol.questions.filter((q) => q.askWhen.every((c) => holds(c, answers) === true));
}

/** The answers to send: those of questions still asked. */
export function askedAnswers(protocol: Protocol, answers: Answers): Answers {
  const out: Answers = {};
  for (const q of visibleQuestions(protocol, answers)) if (answers[q.id] !== undefined) out[q.id] = answers[q.id];
  return out;
}

export function firedRule(protocol: Protocol, answers: Answers): Rule | undefined {
  for (const rule of protocol.rules) {
    const results = rule.conditions.map((c) => holds(c, answers));
    if (results.every((r) => r === true)) return rule;
    if (results.some((r) => r === false)) continue;
    return undefined;
  }
  return undefined;
}
