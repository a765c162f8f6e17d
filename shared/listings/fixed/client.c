#include <linux/in.h>
#include <linux/inet.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>

#define PORT	0x8888
#define BUF_LEN	1024

/* Kept until rmmod, like the published module's connection, but freed there. */
static struct socket *sock;

/* The one place the socket is freed: init's error path and exit share it. */
static void drop_socket(void)
{
	sock_release(sock);
	sock = NULL;
}

static int send_all_ones(void)
{
	struct msghdr msg = {};
	struct kvec vec;
	char *sendbuf;
	int ret;

	sendbuf = kmalloc(BUF_LEN, GFP_KERNEL);
	if (!sendbuf) {
		pr_err("client: sendbuf kmalloc error!\n");
		return -ENOMEM;
	}
	memset(sendbuf, 1, BUF_LEN);
	vec.iov_base = sendbuf;
	vec.iov_len = BUF_LEN;
	ret = kernel_sendmsg(sock, &msg, &vec, 1, BUF_LEN);
	kfree(sendbuf);
	if (ret < 0) {
		pr_err("client: kernel_sendmsg error %d\n", ret);
		return ret;
	}
	/* A blocking send is all or nothing unless a signal cut it short. */
	if (ret != BUF_LEN)
		pr_warn("client: sent %d of %d bytes\n", ret, BUF_LEN);
	pr_info("client:send ok!\n");
	return 0;
}

static int __init client_init(void)
{
	struct sockaddr_in s_addr = {
		.sin_family = AF_INET,
		.sin_port = htons(PORT),
	};
	int ret;

	pr_info("client:init\n");
	/* Loopback only: the lab never dials another host. */
	s_addr.sin_addr.s_addr = in_aton("127.0.0.1");
	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (ret < 0) {
		pr_err("client:socket create error %d\n", ret);
		return ret;
	}
	pr_info("client: socket create ok!\n");
	ret = kernel_connect(sock, (struct sockaddr *)&s_addr, sizeof(s_addr), 0);
	if (ret < 0) {
		pr_err("client:connect error %d\n", ret);
		goto err;
	}
	pr_info("client:connect ok!\n");
	ret = send_all_ones();
	if (ret < 0)
		goto err;
	/* 0, not the byte count: init speaks the 0/-errno convention. */
	return 0;
err:
	drop_socket();
	return ret;
}

static void __exit client_exit(void)
{
	drop_socket();
	pr_info("client exit!\n");
}

module_init(client_init);
module_exit(client_exit);
MODULE_LICENSE("GPL");
