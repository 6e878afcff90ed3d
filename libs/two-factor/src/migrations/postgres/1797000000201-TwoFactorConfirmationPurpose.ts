import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 18, "Purpose": every confirmation says what it was requested for
 * (`enrollment`, `sign_in`, `step_up`) and is confirmed and spent only on that
 * path. Rows already there get the purpose they were made for: the one a pending
 * sign-in names is `sign_in`, one of a factor not yet confirmed `enrollment`,
 * every other `step_up`.
 */
export class TwoFactorConfirmationPurpose1797000000201 implements MigrationInterface {
    name = 'TwoFactorConfirmationPurpose1797000000201'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" ADD "purpose" character varying(16)`);
        await queryRunner.query(`UPDATE "two_factor_confirmation" SET "purpose" = CASE WHEN "id" IN (SELECT s."confirmation_id" FROM "two_factor_sign_in" s WHERE s."confirmation_id" IS NOT NULL) THEN 'sign_in' WHEN "user_config_id" IN (SELECT u."id" FROM "two_factor_user_config" u WHERE u."status" <> 'confirmed') THEN 'enrollment' ELSE 'step_up' END`);
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" ALTER COLUMN "purpose" SET NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" DROP COLUMN "purpose"`);
    }

}
