import { MigrationInterface, QueryRunner } from "typeorm";

export class TwoFactorLimits1795889665320 implements MigrationInterface {
    name = 'TwoFactorLimits1795889665320'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "two_factor_failure_counter" ("key" character varying(300) NOT NULL, "count" integer NOT NULL DEFAULT '0', "last_failed_at" bigint NOT NULL, CONSTRAINT "PK_97b2f1d14fd137230f5a07557ad" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE TABLE "two_factor_rate_counter" ("key" character varying(96) NOT NULL, "window_start" bigint NOT NULL, "count" integer NOT NULL, "expires_at" bigint NOT NULL, CONSTRAINT "PK_e342f37cca70c2308627bfb4d48" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_rate_counter_expires_at" ON "two_factor_rate_counter"  ("expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_two_factor_rate_counter_expires_at"`);
        await queryRunner.query(`DROP TABLE "two_factor_rate_counter"`);
        await queryRunner.query(`DROP TABLE "two_factor_failure_counter"`);
    }

}
