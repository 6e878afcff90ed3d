import { defineMethod } from '../../method-api/method-descriptor.js';
import { DummyBackend } from './dummy.backend.js';
import { DummyGlobalConfigDto, DummyUserConfigDto } from './dummy.dto.js';

/** The seed's `dummy` method: the user confirms with a code of their own; mostly an example. */
export const DUMMY_METHOD = defineMethod({
  key: 'dummy',
  verboseName: 'Dummy',
  backend: DummyBackend,
  globalConfigDto: DummyGlobalConfigDto,
  userConfigDto: DummyUserConfigDto,
  // A code the user chose: something the user knows.
  amr: ['pwd'],
});
