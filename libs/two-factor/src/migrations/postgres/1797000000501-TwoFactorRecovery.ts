import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 22: self-service recovery with a waiting period (at most one per user) and
 * temporary access codes issued by an admin (one per user). Only keyed hashes of the
 * cancel code and of the access code are stored.
 */
export class TwoFactorRecovery1797000000501 implements MigrationInterface {
    name = 'TwoFactorRecovery1797000000501'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "two_factor_recovery" ("id" character varying(36) NOT NULL, "user_id" character varying(255) NOT NULL, "cancel_hash" character varying(80) NOT NULL, "not_before" bigint NOT NULL, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_two_factor_recovery" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_two_factor_recovery_user" ON "two_factor_recovery" ("user_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_two_factor_recovery_cancel_hash" ON "two_factor_recovery" ("cancel_hash") `);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_recovery_expires_at" ON "two_factor_recovery" ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "two_factor_access_code" ("user_id" character varying(255) NOT NULL, "code_hash" character varying(80) NOT NULL, "issued_by" character varying(255), "sign_in_hash" character varying(80), "used_at" bigint, "expires_at" bigint NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_two_factor_access_code" PRIMARY KEY ("user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_access_code_expires_at" ON "two_factor_access_code" ("expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_access_code_expires_at"`);
        await queryRunner.query(`DROP TABLE "two_factor_access_code"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_recovery_expires_at"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_recovery_cancel_hash"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_recovery_user"`);
        await queryRunner.query(`DROP TABLE "two_factor_recovery"`);
    }

}
