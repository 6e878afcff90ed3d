import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 18, "Purpose": every confirmation says what it was requested for
 * (`enrollment`, `sign_in`, `step_up`) and is confirmed and spent only on that
 * path. Rows already there get the purpose they were made for: the one a pending
 * sign-in names is `sign_in`, one of a factor not yet confirmed `enrollment`,
 * every other `step_up`.
 */
export class TwoFactorConfirmationPurpose1797000000200 implements MigrationInterface {
    name = 'TwoFactorConfirmationPurpose1797000000200'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user_config"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_expires_at"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_method_config"`);
        await queryRunner.query(`CREATE TABLE "temporary_two_factor_confirmation" ("id" varchar(36) PRIMARY KEY NOT NULL, "method_config_id" integer NOT NULL, "user_config_id" integer, "challenge_seq" integer, "user_id" varchar(255), "status" varchar(16) NOT NULL, "state" text NOT NULL DEFAULT ('{}'), "attempts" integer NOT NULL DEFAULT (0), "max_attempts" integer NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "purpose" varchar(16) NOT NULL, CONSTRAINT "FK_c820a4683e33618541e5e6fa632" FOREIGN KEY ("user_config_id") REFERENCES "two_factor_user_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_d51ae09eb9b7aefed5fb2473a2d" FOREIGN KEY ("method_config_id") REFERENCES "two_factor_method_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_two_factor_confirmation"("id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at", "purpose") SELECT "id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at", CASE WHEN "id" IN (SELECT s."confirmation_id" FROM "two_factor_sign_in" s WHERE s."confirmation_id" IS NOT NULL) THEN 'sign_in' WHEN "user_config_id" IN (SELECT u."id" FROM "two_factor_user_config" u WHERE u."status" <> 'confirmed') THEN 'enrollment' ELSE 'step_up' END FROM "two_factor_confirmation"`);
        await queryRunner.query(`DROP TABLE "two_factor_confirmation"`);
        await queryRunner.query(`ALTER TABLE "temporary_two_factor_confirmation" RENAME TO "two_factor_confirmation"`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user_config" ON "two_factor_confirmation" ("user_config_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user" ON "two_factor_confirmation" ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_expires_at" ON "two_factor_confirmation" ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_method_config" ON "two_factor_confirmation" ("method_config_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user_config"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_expires_at"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_method_config"`);
        await queryRunner.query(`CREATE TABLE "temporary_two_factor_confirmation" ("id" varchar(36) PRIMARY KEY NOT NULL, "method_config_id" integer NOT NULL, "user_config_id" integer, "challenge_seq" integer, "user_id" varchar(255), "status" varchar(16) NOT NULL, "state" text NOT NULL DEFAULT ('{}'), "attempts" integer NOT NULL DEFAULT (0), "max_attempts" integer NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "FK_c820a4683e33618541e5e6fa632" FOREIGN KEY ("user_config_id") REFERENCES "two_factor_user_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_d51ae09eb9b7aefed5fb2473a2d" FOREIGN KEY ("method_config_id") REFERENCES "two_factor_method_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_two_factor_confirmation"("id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at") SELECT "id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at" FROM "two_factor_confirmation"`);
        await queryRunner.query(`DROP TABLE "two_factor_confirmation"`);
        await queryRunner.query(`ALTER TABLE "temporary_two_factor_confirmation" RENAME TO "two_factor_confirmation"`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user_config" ON "two_factor_confirmation" ("user_config_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user" ON "two_factor_confirmation" ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_expires_at" ON "two_factor_confirmation" ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_method_config" ON "two_factor_confirmation" ("method_config_id") `);
    }

}
