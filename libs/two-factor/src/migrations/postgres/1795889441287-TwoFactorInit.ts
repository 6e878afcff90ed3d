import { MigrationInterface, QueryRunner } from "typeorm";

export class TwoFactorInit1795889441287 implements MigrationInterface {
    name = 'TwoFactorInit1795889441287'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "two_factor_method_config" ("id" SERIAL NOT NULL, "title" character varying(255) NOT NULL DEFAULT '', "method" character varying(64) NOT NULL, "config" text NOT NULL DEFAULT '{}', "is_active" boolean NOT NULL DEFAULT true, "is_default" boolean NOT NULL DEFAULT false, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_6948c48227e25f7637669cd50ba" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_method_config_method" ON "two_factor_method_config"  ("method") `);
        await queryRunner.query(`CREATE TABLE "two_factor_user_config" ("id" SERIAL NOT NULL, "title" character varying(255) NOT NULL DEFAULT '', "method_config_id" integer NOT NULL, "user_id" character varying(255) NOT NULL, "status" character varying(16) NOT NULL, "config" text NOT NULL DEFAULT '{}', "is_active" boolean NOT NULL DEFAULT true, "is_default" boolean NOT NULL DEFAULT false, "replay_guard" bigint NOT NULL DEFAULT '0', "challenge_seq" integer NOT NULL DEFAULT '0', "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_63bc7c88507c54457a8853ca1e2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_user_config_user" ON "two_factor_user_config"  ("user_id", "method_config_id") `);
        await queryRunner.query(`CREATE TABLE "two_factor_confirmation" ("id" character varying(36) NOT NULL, "method_config_id" integer NOT NULL, "user_config_id" integer, "challenge_seq" integer, "user_id" character varying(255), "status" character varying(16) NOT NULL, "state" text NOT NULL DEFAULT '{}', "attempts" integer NOT NULL DEFAULT '0', "max_attempts" integer NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_0c223d219cbf9a7d89fed4a6930" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_method_config" ON "two_factor_confirmation"  ("method_config_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_expires_at" ON "two_factor_confirmation"  ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user" ON "two_factor_confirmation"  ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_confirmation_user_config" ON "two_factor_confirmation"  ("user_config_id") `);
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" ADD CONSTRAINT "FK_9b9d549268d43b9cd4753ce1625" FOREIGN KEY ("method_config_id") REFERENCES "two_factor_method_config"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" ADD CONSTRAINT "FK_d51ae09eb9b7aefed5fb2473a2d" FOREIGN KEY ("method_config_id") REFERENCES "two_factor_method_config"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" ADD CONSTRAINT "FK_c820a4683e33618541e5e6fa632" FOREIGN KEY ("user_config_id") REFERENCES "two_factor_user_config"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" DROP CONSTRAINT "FK_c820a4683e33618541e5e6fa632"`);
        await queryRunner.query(`ALTER TABLE "two_factor_confirmation" DROP CONSTRAINT "FK_d51ae09eb9b7aefed5fb2473a2d"`);
        await queryRunner.query(`ALTER TABLE "two_factor_user_config" DROP CONSTRAINT "FK_9b9d549268d43b9cd4753ce1625"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_confirmation_user_config"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_confirmation_user"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_confirmation_expires_at"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_confirmation_method_config"`);
        await queryRunner.query(`DROP TABLE "two_factor_confirmation"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_user_config_user"`);
        await queryRunner.query(`DROP TABLE "two_factor_user_config"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_method_config_method"`);
        await queryRunner.query(`DROP TABLE "two_factor_method_config"`);
    }

}
