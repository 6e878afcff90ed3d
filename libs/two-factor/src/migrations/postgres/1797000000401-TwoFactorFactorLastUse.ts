import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 22, "factors users can tell apart": when each factor last proved a
 * sign-in, a step-up or its enrolment (`last_used_at`; null until its first
 * right answer, and for every existing row: its past uses were not recorded).
 */
export class TwoFactorFactorLastUse1797000000401 implements MigrationInterface {
    name = 'TwoFactorFactorLastUse1797000000401'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" ADD "last_used_at" bigint`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" DROP COLUMN "last_used_at"`);
    }

}
