import { connect } from 'amqplib';

/** Deletes a test run's queues (the reply queues go with their nodes). */
export async function deleteQueues(url: string, prefix: string): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(`${prefix}commands`);
  } finally {
    await connection.close();
  }
}
