import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 22, "factors users can tell apart", on MySQL/MariaDB: when each factor last proved a
 * sign-in, a step-up or its enrolment (`last_used_at`; null until its first right answer).
 */
export class TwoFactorFactorLastUse1797000000402 implements MigrationInterface {
    name = 'TwoFactorFactorLastUse1797000000402'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`two_factor_user_config\` ADD \`last_used_at\` bigint NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`two_factor_user_config\` DROP COLUMN \`last_used_at\``);
    }

}
