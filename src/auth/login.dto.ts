import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'demo-password' })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class TokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  access_token: string;

  @ApiProperty({ example: 'Bearer' })
  token_type: 'Bearer';
}

/** Answer of `login/confirm`: the token and, when a backup code signed in, how many codes are left. */
export class SignInTokenDto extends TokenDto {
  @ApiPropertyOptional({ example: 2, minimum: 0, description: 'Only when a backup code signed in: how many codes of the set are left.' })
  remaining?: number;
}
