import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 22 on MySQL/MariaDB: self-service recovery with a waiting period (at most one per user) and
 * temporary access codes issued by an admin (one per user). The tables take the binary, no-pad
 * collation of the first migration (TwoFactorInit1797000000002): user ids and hashes compare byte for byte.
 */
export class TwoFactorRecovery1797000000502 implements MigrationInterface {
    name = 'TwoFactorRecovery1797000000502'

    public async up(queryRunner: QueryRunner): Promise<void> {
        const [{ version }] = await queryRunner.query(`SELECT VERSION() AS version`);
        const table = `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${/mariadb/i.test(String(version)) ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin'}`;
        await queryRunner.query(`CREATE TABLE \`two_factor_recovery\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(255) NOT NULL, \`cancel_hash\` varchar(80) NOT NULL, \`not_before\` bigint NOT NULL, \`expires_at\` bigint NOT NULL, \`created_at\` bigint NOT NULL, UNIQUE INDEX \`IDX_two_factor_recovery_user\` (\`user_id\`), UNIQUE INDEX \`IDX_two_factor_recovery_cancel_hash\` (\`cancel_hash\`), INDEX \`IDX_two_factor_recovery_expires_at\` (\`expires_at\`), PRIMARY KEY (\`id\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_access_code\` (\`user_id\` varchar(255) NOT NULL, \`code_hash\` varchar(80) NOT NULL, \`issued_by\` varchar(255) NULL, \`sign_in_hash\` varchar(80) NULL, \`used_at\` bigint NULL, \`expires_at\` bigint NOT NULL, \`created_at\` bigint NOT NULL, INDEX \`IDX_two_factor_access_code_expires_at\` (\`expires_at\`), PRIMARY KEY (\`user_id\`)) ${table}`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE \`two_factor_access_code\``);
        await queryRunner.query(`DROP TABLE \`two_factor_recovery\``);
    }

}
