import { MigrationInterface, QueryRunner } from "typeorm";

export class TwoFactorInit1795889439755 implements MigrationInterface {
    name = 'TwoFactorInit1795889439755'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "two_factor_method_config" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(255) NOT NULL DEFAULT (''), "method" varchar(64) NOT NULL, "config" text NOT NULL DEFAULT ('{}'), "is_active" boolean NOT NULL DEFAULT (1), "is_default" boolean NOT NULL DEFAULT (0), "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_method_config_method" ON "two_factor_method_config" ("method") `);
        await queryRunner.query(`CREATE TABLE "two_factor_user_config" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(255) NOT NULL DEFAULT (''), "method_config_id" integer NOT NULL, "user_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL, "config" text NOT NULL DEFAULT ('{}'), "is_active" boolean NOT NULL DEFAULT (1), "is_default" boolean NOT NULL DEFAULT (0), "replay_guard" bigint NOT NULL DEFAULT (0), "challenge_seq" integer NOT NULL DEFAULT (0), "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_user_config_user" ON "two_factor_user_config" ("user_id", "method_config_id") `);
        await queryRunner.query(`CREATE TABLE "two_factor_confirmation" ("id" varchar(36) PRIMARY KEY NOT NULL, "method_config_id" integer NOT NULL, "user_config_id" integer, "challenge_seq" integer, "user_id" varchar(255), "status" varchar(16) NOT NULL, "state" text NOT NULL DEFAULT ('{}'), "attempts" integer NOT NULL DEFAULT (0), "max_attempts" integer NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_method_config" ON "two_factor_confirmation" ("method_config_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_expires_at" ON "two_factor_confirmation" ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user" ON "two_factor_confirmation" ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user_config" ON "two_factor_confirmation" ("user_config_id") `);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_user_config_user"`);
        await queryRunner.query(`CREATE TABLE "temporary_two_factor_user_config" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(255) NOT NULL DEFAULT (''), "method_config_id" integer NOT NULL, "user_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL, "config" text NOT NULL DEFAULT ('{}'), "is_active" boolean NOT NULL DEFAULT (1), "is_default" boolean NOT NULL DEFAULT (0), "replay_guard" bigint NOT NULL DEFAULT (0), "challenge_seq" integer NOT NULL DEFAULT (0), "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "FK_9b9d549268d43b9cd4753ce1625" FOREIGN KEY ("method_config_id") REFERENCES "two_factor_method_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_two_factor_user_config"("id", "title", "method_config_id", "user_id", "status", "config", "is_active", "is_default", "replay_guard", "challenge_seq", "created_at", "updated_at") SELECT "id", "title", "method_config_id", "user_id", "status", "config", "is_active", "is_default", "replay_guard", "challenge_seq", "created_at", "updated_at" FROM "two_factor_user_config"`);
        await queryRunner.query(`DROP TABLE "two_factor_user_config"`);
        await queryRunner.query(`ALTER TABLE "temporary_two_factor_user_config" RENAME TO "two_factor_user_config"`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_user_config_user" ON "two_factor_user_config" ("user_id", "method_config_id") `);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_method_config"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_expires_at"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user_config"`);
        await queryRunner.query(`CREATE TABLE "temporary_two_factor_confirmation" ("id" varchar(36) PRIMARY KEY NOT NULL, "method_config_id" integer NOT NULL, "user_config_id" integer, "challenge_seq" integer, "user_id" varchar(255), "status" varchar(16) NOT NULL, "state" text NOT NULL DEFAULT ('{}'), "attempts" integer NOT NULL DEFAULT (0), "max_attempts" integer NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "FK_d51ae09eb9b7aefed5fb2473a2d" FOREIGN KEY ("method_config_id") REFERENCES "two_factor_method_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_c820a4683e33618541e5e6fa632" FOREIGN KEY ("user_config_id") REFERENCES "two_factor_user_config" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_two_factor_confirmation"("id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at") SELECT "id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at" FROM "two_factor_confirmation"`);
        await queryRunner.query(`DROP TABLE "two_factor_confirmation"`);
        await queryRunner.query(`ALTER TABLE "temporary_two_factor_confirmation" RENAME TO "two_factor_confirmation"`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_method_config" ON "two_factor_confirmation" ("method_config_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_expires_at" ON "two_factor_confirmation" ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user" ON "two_factor_confirmation" ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user_config" ON "two_factor_confirmation" ("user_config_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user_config"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_expires_at"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_method_config"`);
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" RENAME TO "temporary_two_factor_confirmation"`);
        await queryRunner.query(`CREATE TABLE "two_factor_confirmation" ("id" varchar(36) PRIMARY KEY NOT NULL, "method_config_id" integer NOT NULL, "user_config_id" integer, "challenge_seq" integer, "user_id" varchar(255), "status" varchar(16) NOT NULL, "state" text NOT NULL DEFAULT ('{}'), "attempts" integer NOT NULL DEFAULT (0), "max_attempts" integer NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`);
        await queryRunner.query(`INSERT INTO "two_factor_confirmation"("id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at") SELECT "id", "method_config_id", "user_config_id", "challenge_seq", "user_id", "status", "state", "attempts", "max_attempts", "expires_at", "created_at", "updated_at" FROM "temporary_two_factor_confirmation"`);
        await queryRunner.query(`DROP TABLE "temporary_two_factor_confirmation"`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user_config" ON "two_factor_confirmation" ("user_config_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user" ON "two_factor_confirmation" ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_expires_at" ON "two_factor_confirmation" ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_method_config" ON "two_factor_confirmation" ("method_config_id") `);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_user_config_user"`);
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" RENAME TO "temporary_two_factor_user_config"`);
        await queryRunner.query(`CREATE TABLE "two_factor_user_config" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(255) NOT NULL DEFAULT (''), "method_config_id" integer NOT NULL, "user_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL, "config" text NOT NULL DEFAULT ('{}'), "is_active" boolean NOT NULL DEFAULT (1), "is_default" boolean NOT NULL DEFAULT (0), "replay_guard" bigint NOT NULL DEFAULT (0), "challenge_seq" integer NOT NULL DEFAULT (0), "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`);
        await queryRunner.query(`INSERT INTO "two_factor_user_config"("id", "title", "method_config_id", "user_id", "status", "config", "is_active", "is_default", "replay_guard", "challenge_seq", "created_at", "updated_at") SELECT "id", "title", "method_config_id", "user_id", "status", "config", "is_active", "is_default", "replay_guard", "challenge_seq", "created_at", "updated_at" FROM "temporary_two_factor_user_config"`);
        await queryRunner.query(`DROP TABLE "temporary_two_factor_user_config"`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_user_config_user" ON "two_factor_user_config" ("user_id", "method_config_id") `);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user_config"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_user"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_expires_at"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_confirmation_method_config"`);
        await queryRunner.query(`DROP TABLE "two_factor_confirmation"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_user_config_user"`);
        await queryRunner.query(`DROP TABLE "two_factor_user_config"`);
        await queryRunner.query(`DROP INDEX "IDX_two_factor_method_config_method"`);
        await queryRunner.query(`DROP TABLE "two_factor_method_config"`);
    }

}
