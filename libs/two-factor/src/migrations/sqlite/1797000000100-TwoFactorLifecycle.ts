import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The factor lifecycle (issue 18): when a factor's current config was proven, and
 * when its config was set (`config_set_at`; unknown, hence null, for existing rows),
 * and the durable per-user marker "two-factor is on". Existing data: confirmed factors
 * count as proven, and every user with a confirmed or locked factor has two-factor on.
 */
export class TwoFactorLifecycle1797000000100 implements MigrationInterface {
    name = 'TwoFactorLifecycle1797000000100'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" ADD COLUMN "confirmed_at" bigint`);
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" ADD COLUMN "config_set_at" bigint`);
        await queryRunner.query(`CREATE TABLE "two_factor_enabled_user" ("user_id" varchar(255) PRIMARY KEY NOT NULL, "enabled_at" bigint NOT NULL)`);
        await queryRunner.query(`UPDATE "two_factor_user_config" SET "confirmed_at" = "updated_at" WHERE "status" = 'confirmed'`);
        await queryRunner.query(`INSERT INTO "two_factor_enabled_user" ("user_id", "enabled_at") SELECT "user_id", MIN("updated_at") FROM "two_factor_user_config" WHERE "status" IN ('confirmed', 'locked') GROUP BY "user_id"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "two_factor_enabled_user"`);
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" DROP COLUMN "config_set_at"`);
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" DROP COLUMN "confirmed_at"`);
    }

}
