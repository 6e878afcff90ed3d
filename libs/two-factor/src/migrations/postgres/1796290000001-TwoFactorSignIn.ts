import { MigrationInterface, QueryRunner } from "typeorm";

/** Pending sign-ins (the second step) and remembered devices. */
export class TwoFactorSignIn1796290000001 implements MigrationInterface {
    name = 'TwoFactorSignIn1796290000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "two_factor_sign_in" ("token_hash" character varying(80) NOT NULL, "user_id" character varying(255) NOT NULL, "confirmation_id" character varying(36), "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_76ddf7ccddf7e5b5ba593dd9756" PRIMARY KEY ("token_hash"))`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_sign_in_expires_at" ON "two_factor_sign_in"  ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_sign_in_user" ON "two_factor_sign_in"  ("user_id") `);
        await queryRunner.query(`CREATE TABLE "two_factor_device" ("id" character varying(36) NOT NULL, "user_id" character varying(255) NOT NULL, "token_hash" character varying(80) NOT NULL, "label" character varying(255) NOT NULL DEFAULT '', "created_at" bigint NOT NULL, "last_used_at" bigint NOT NULL, "expires_at" bigint NOT NULL, CONSTRAINT "PK_42cd5ea103c0a7d89961cb7c440" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_two_factor_device_token_hash" ON "two_factor_device"  ("token_hash") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_device_expires_at" ON "two_factor_device"  ("expires_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_device_user" ON "two_factor_device"  ("user_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_device_user"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_device_expires_at"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_device_token_hash"`);
        await queryRunner.query(`DROP TABLE "two_factor_device"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_sign_in_user"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_sign_in_expires_at"`);
        await queryRunner.query(`DROP TABLE "two_factor_sign_in"`);
    }

}
