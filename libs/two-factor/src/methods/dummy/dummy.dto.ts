import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Global config of the dummy method: the code that method-level confirmations expect. */
export class DummyGlobalConfigDto {
  @ApiProperty({ example: 'dummy-method', default: 'dummy-method' })
  @IsString()
  @Length(1, 128)
  code: string = 'dummy-method';
}

/** What a user submits to enrol in the dummy method: a code of their own choosing. */
export class DummyUserConfigDto {
  @ApiProperty({ example: 'my-secret-code' })
  @IsString()
  @Length(1, 128)
  code: string;
}

/** What is stored for a dummy user config: only the keyed hash of the code. */
export interface DummyStoredConfig {
  code_hash: string;
}
