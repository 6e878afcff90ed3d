// Provisional micro-measurement (issue 25 item 1): CPU per validated body, in process, the module's pipe
// with and without the compiled check. Needs `npm run build:lib`. Usage: node bench/micro/validation.mjs [iterations]
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { createTwoFactorValidationPipe } from '../../libs/two-factor/dist/http/input/validation.pipe.js';
import { plainCopy } from '../../libs/two-factor/dist/http/input/plain-copy.js';
import { ConfirmConfirmationDto, RequestConfirmationDto } from '../../libs/two-factor/dist/http/user/dto/request-bodies.dto.js';

const iterations = Number(process.argv[2] ?? 50_000);
const compiled = createTwoFactorValidationPipe();
const classValidator = createTwoFactorValidationPipe();
Object.defineProperty(classValidator, 'compiledCheck', { value: () => undefined });

const cases = [
  ['confirm body', ConfirmConfirmationDto, { id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: '123456' } }],
  ['request body', RequestConfirmationDto, { user_config_id: 7 }],
];

async function cpuPer(run) {
  for (let i = 0; i < 2000; i++) await run(); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations; // µs
}

for (const [label, dto, body] of cases) {
  const metadata = { type: 'body', metatype: dto, data: undefined };
  const slow = await cpuPer(() => classValidator.transform({ ...body }, metadata));
  const fast = await cpuPer(() => compiled.transform({ ...body }, metadata));
  const transformOnly = await cpuPer(() => plainToInstance(dto, { ...body }));
  const copyOnly = await cpuPer(() => plainCopy(dto, { ...body }));
  console.log(
    `${label}: class-validator pipe ${slow.toFixed(1)} µs, compiled ${fast.toFixed(1)} µs (${((1 - fast / slow) * 100).toFixed(0)}% less); ` +
      `an instance from plainToInstance ${transformOnly.toFixed(1)} µs, from plainCopy (what the compiled path now uses) ${copyOnly.toFixed(1)} µs`,
  );
}
