/**
 * Every metric the module records: name, unit, what it counts and its attributes. All
 * attributes are bounded (method keys, outcomes, operation names, error codes) — never a
 * user id, address, code, token or client address. In Prometheus text, counters get `_total`;
 * histograms carry their unit in the name already (`_seconds`, `_count`, `_sum`, `_bucket`).
 */
export const TWO_FACTOR_METRICS = {
  confirmationsRequested: {
    name: 'two_factor_confirmations_requested',
    unit: '{confirmation}',
    description: 'Confirmations requested: every challenge issued (a request, an enrolment, a sign-in), by method.',
    attributes: ['method'],
  },
  codesSent: {
    name: 'two_factor_codes_sent',
    unit: '{message}',
    description: 'Codes handed to a sender (email, SMS, …), by method: the channel.',
    attributes: ['method'],
  },
  confirmationsJudged: {
    name: 'two_factor_confirmations_judged',
    unit: '{answer}',
    description: 'Answers judged: outcome right, wrong (reason: the backend’s word or wrong_answer) or refused before judging (reason: the error code).',
    attributes: ['method', 'outcome', 'reason'],
  },
  proofsUsed: {
    name: 'two_factor_proofs_used',
    unit: '{proof}',
    description: 'Confirmed confirmations spent as proofs (step-up, sign-in, changes).',
    attributes: [],
  },
  stepUps: {
    name: 'two_factor_step_ups',
    unit: '{request}',
    description: 'Step-up checks of a proof: outcome pass or refused (reason: the error code).',
    attributes: ['outcome', 'reason'],
  },
  signInsStarted: {
    name: 'two_factor_sign_ins_started',
    unit: '{sign_in}',
    description: 'Sign-ins that went on to a second step.',
    attributes: [],
  },
  signInsCompleted: {
    name: 'two_factor_sign_ins_completed',
    unit: '{sign_in}',
    description: 'Sign-ins completed: by a second factor or on a remembered device (via).',
    attributes: ['via'],
  },
  lockouts: {
    name: 'two_factor_lockouts',
    unit: '{lockout}',
    description: 'A confirmation locked by wrong answers (scope confirmation) or a factor disabled by consecutive failures (scope factor).',
    attributes: ['method', 'scope'],
  },
  cooldowns: {
    name: 'two_factor_cooldowns',
    unit: '{refusal}',
    description: 'Requests and answers refused because a factor is cooling down after failures, by operation.',
    attributes: ['operation'],
  },
  limitsRefused: {
    name: 'two_factor_send_limits_refused',
    unit: '{refusal}',
    description: 'Sends and requests refused by a cap or a resend cooldown (kind), by limit: a method key, sends (per user) or anonymous-requests.',
    attributes: ['limit', 'kind'],
  },
  devicesRemembered: {
    name: 'two_factor_devices_remembered',
    unit: '{device}',
    description: 'Devices remembered at a sign-in.',
    attributes: [],
  },
  devicesUsed: {
    name: 'two_factor_remembered_devices_used',
    unit: '{sign_in}',
    description: 'Sign-ins that skipped the second step on a remembered device.',
    attributes: [],
  },
  recoverySteps: {
    name: 'two_factor_recovery_steps',
    unit: '{step}',
    description: 'Steps of recoveries and access codes (issue 22): started, cancelled (reason), completed (via), access_code_used.',
    attributes: ['step', 'reason'],
  },
  factorChanges: {
    name: 'two_factor_factor_changes',
    unit: '{change}',
    description: 'Changes to users’ factors (created, confirmed, changed, disabled, deleted, device_revoked).',
    attributes: ['change'],
  },
  adminActions: {
    name: 'two_factor_admin_actions',
    unit: '{action}',
    description: 'Admin actions (method_config.created, user_config.unlocked, …).',
    attributes: ['action'],
  },
  purged: {
    name: 'two_factor_purged_rows',
    unit: '{row}',
    description: 'Expired confirmations and counters deleted by the purge.',
    attributes: [],
  },
  timeToConfirm: {
    name: 'two_factor_time_to_confirm_seconds',
    unit: 's',
    description: 'From a confirmation’s request to its right answer, by method.',
    attributes: ['method'],
  },
  operationDuration: {
    name: 'two_factor_operation_duration_seconds',
    unit: 's',
    description: 'Duration of each module operation (outcome ok or the error code).',
    attributes: ['operation', 'outcome'],
  },
} as const;

export type TwoFactorMetricKey = keyof typeof TWO_FACTOR_METRICS;
