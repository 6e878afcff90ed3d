import { ApiProperty } from '@nestjs/swagger';

/** A remembered device as its user sees it: never its token or the token's hash. */
export class RememberedDeviceDto {
  @ApiProperty({ format: 'uuid', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  id: string;

  @ApiProperty({ example: 'Mozilla/5.0 (X11; Linux x86_64) …', description: 'The user agent it was remembered with.' })
  label: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T08:30:00.000Z', description: 'Last sign-in that skipped the second step on it.' })
  last_used_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-28T12:00:00.000Z', description: 'From then on the second step is asked again.' })
  expires_at: string;
}

/** Response of `device/own/revoke-all/`. */
export class DevicesRevokedDto {
  @ApiProperty({ example: 2, description: 'How many devices were forgotten.' })
  revoked: number;
}
