#include <linux/in.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>

#define PORT	0x8888
#define BUF_LEN	1024

static struct socket *sock;
static struct task_struct *accept_task;

/* The one place the listener is freed: init's error path and exit share it. */
static void drop_listener(void)
{
	sock_release(sock);
	sock = NULL;
}

static void serve_one(struct socket *newsock)
{
	struct msghdr msg = {};
	struct kvec vec;
	char *recvbuf;
	int ret;

	/* One spare byte, so the text is NUL-terminated whatever arrives. */
	recvbuf = kzalloc(BUF_LEN + 1, GFP_KERNEL);
	if (!recvbuf) {
		pr_err("server: recvbuf kmalloc error!\n");
		return;
	}
	vec.iov_base = recvbuf;
	vec.iov_len = BUF_LEN;
	/* A byte stream: one call may return fewer bytes than were sent. */
	ret = kernel_recvmsg(newsock, &msg, &vec, 1, BUF_LEN, 0);
	if (ret < 0)
		pr_err("server: recvmsg error %d\n", ret);
	else
		pr_info("server: receive message (%d bytes): %.*s\n", ret, ret, recvbuf);
	kfree(recvbuf);
}

/* Runs in its own thread so that insmod returns as soon as init is done. */
static int accept_loop(void *unused)
{
	struct socket *newsock;
	int ret;

	while (!kthread_should_stop()) {
		ret = kernel_accept(sock, &newsock, 0);
		if (ret < 0) {
			pr_info("server: accept returned %d, loop ends\n", ret);
			break;
		}
		pr_info("server: accept ok, Connection Established\n");
		/* A silent peer must not keep rmmod waiting for ever. */
		newsock->sk->sk_rcvtimeo = 5 * HZ;
		serve_one(newsock);
		sock_release(newsock);
	}
	/* Returning before kthread_stop() would free the task under it. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int __init server_init(void)
{
	struct sockaddr_in s_addr = {
		.sin_family = AF_INET,
		.sin_port = htons(PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int ret;

	pr_info("server init:\n");
	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (ret < 0) {
		pr_err("server:socket_create error %d\n", ret);
		return ret;
	}
	pr_info("server:socket_create ok!\n");
	/* Lets a reloaded module rebind while old connections sit in TIME_WAIT. */
	sock_set_reuseaddr(sock->sk);

	ret = kernel_bind(sock, (struct sockaddr *)&s_addr, sizeof(s_addr));
	if (ret < 0) {
		pr_err("server: bind error %d\n", ret);
		goto err;
	}
	pr_info("server:bind ok!\n");

	ret = kernel_listen(sock, 10);
	if (ret < 0) {
		pr_err("server: listen error %d\n", ret);
		goto err;
	}
	pr_info("server:listen ok!\n");

	accept_task = kthread_run(accept_loop, NULL, "ksock_server");
	if (IS_ERR(accept_task)) {
		ret = PTR_ERR(accept_task);
		pr_err("server: kthread error %d\n", ret);
		goto err;
	}
	return 0;
err:
	drop_listener();
	return ret;
}

static void __exit server_exit(void)
{
	/* Takes the listener out of LISTEN, so the blocked accept returns. */
	kernel_sock_shutdown(sock, SHUT_RDWR);
	kthread_stop(accept_task);
	drop_listener();
	pr_info("good bye\n");
}

module_init(server_init);
module_exit(server_exit);
MODULE_LICENSE("GPL");
